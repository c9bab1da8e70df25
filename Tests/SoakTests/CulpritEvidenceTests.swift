import Foundation
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// culprits.jsonl is checked like the other files, but only ever warns; the profile's `culprits`
/// decides when a culprit grows and how many are named.
@Suite struct CulpritEvidenceTests {
    /// A clean synthetic run whose culprits.jsonl has `cycles` readings of one flat type, and a
    /// run.json that counts `counted` readings (nil: an older folder that counts none).
    func folder(counted: Int?, lines edit: (inout [String]) -> Void = { _ in }) throws -> RunFolder {
        let run = AnalysisSyntheticRun()
        let folder = try RunFolderFixture.make(status: .completed, run: run)
        var lines = (0..<run.cycles).map { cycle in
            CulpritReading(source: .types, unit: .instances, values: ["Tenant": 1])
                .jsonLine(kind: .trough, cycle: Double(cycle), simSeconds: Double(cycle) * run.intervalSeconds)
        }
        edit(&lines)
        try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: folder.culprits))
        var manifest = try RunManifest.read(from: folder.manifest)
        manifest.culpritReadings = counted
        try manifest.write(to: folder.manifest)
        return folder
    }

    @Test func aWholeCulpritLogWarnsOfNothing() throws {
        let summary = try RunJudge.judge(folder(counted: 200)).summary
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
        #expect(summary.evidence?.warnings == nil)
        #expect(!summary.verdictReason.contains("warning"))
    }

    @Test func aCulpritLogCutShortIsNamedButTheCleanVerdictStands() throws {
        let summary = try RunJudge.judge(folder(counted: 200) { $0.removeLast(50) }).summary
        #expect(summary.verdict == .pass)
        #expect(summary.verdictReason.contains(
            "warning: culprits.jsonl holds 150 of the 200 readings run.json counts"), "\(summary.verdictReason)")
        #expect(summary.evidence?.warnings?.count == 1)
        // summary.json carries it.
        let json = try String(decoding: JSONEncoder().encode(summary), as: UTF8.self)
        #expect(json.contains("\"warnings\""))
    }

    @Test func damagedLinesAreNamedEvenWithoutACount() throws {
        let summary = try RunJudge.judge(folder(counted: nil) { $0[7] = "{\"kind\": \"trough\", garbage\n" }).summary
        #expect(summary.verdict == .pass)
        #expect(summary.verdictReason.contains("culprits.jsonl is damaged: 1 of its 200 lines"),
                "\(summary.verdictReason)")
    }

    @Test func aMissingCulpritLogIsNamedWhenRunJSONCountsReadings() throws {
        let folder = try folder(counted: 200)
        try FileManager.default.removeItem(atPath: folder.culprits)
        let summary = try RunJudge.judge(folder).summary
        #expect(summary.verdict == .pass)
        #expect(summary.evidence?.warnings == ["culprits.jsonl is missing, though run.json counts 200 culprit "
            + "reading(s): no culprit can be named"])
    }

    @Test func aLineCutOffMidWriteIsNoDamage() throws {
        let folder = try folder(counted: nil) { $0[$0.count - 1] = String($0[$0.count - 1].dropLast(9)) }
        let contents = CulpritLog.contents(folder.culprits)
        #expect(contents.droppedPartialLastLine && contents.damagedLines == 0 && contents.lines == 199)
        #expect(try RunJudge.judge(folder).summary.evidence?.warnings == nil)
    }

    @Test func eachKindOfDamagedLineIsCountedAndTheRestRead() throws {
        let damaged = [
            #"{"kind":"trough","cycle":1,"source":"types","unit":"instances","values":{"Tenant":"1"}}"#,
            #"{"kind":"trough","cycle":1,"source":"types","unit":"instances","values":{"Tenant":null}}"#,
            #"{"kind":"trough","cycle":1,"source":"types","unit":"instances","values":{"Tenant":1e400}}"#,
            #"{"kind":"trough","cycle":1,"source":"types","unit":"instances"}"#,
            #"{"kind":"valley","cycle":1,"source":"types","unit":"instances","values":{}}"#,
            #"{"kind":"trough","cycle":"1","source":"types","unit":"instances","values":{}}"#,
            #"{"kind":"trough","source":"types","unit":"instances","values":{}} trailing"#,
            #"["kind","trough"]"#,
        ]
        let folder = try folder(counted: nil) { lines in
            for (index, line) in damaged.enumerated() { lines[10 + index] = line + "\n" }
            // Readable: a null cycle, keys in another order, an unknown key, escapes in a name.
            lines[30] = #"{"values":{"Ten\u0061nt":1},"unit":"instances","source":"types","kind":"trough","cycle":null,"sim_seconds":30,"extra":[1]}"# + "\n"
        }
        let contents = CulpritLog.contents(folder.culprits)
        #expect(contents.lines == 200)
        #expect(contents.damagedLines == damaged.count)
        let tenant = try #require(contents.series.first { $0.name == "Tenant" })
        #expect(tenant.points.count == 200 - damaged.count)
    }

    @Test func theProfileSetsCulpritThresholdsAndHowManyAreNamed() throws {
        let profile = try ProfileLoader.load(json: """
            {"description": "d", "target": {"tenantd": {"artifactIdle": "1m", "sweepEvery": "10s"}},
             "scenario": {"kind": "service-ghost", "requests": ["/t/t1/a1.service"], "interval": "3m", "duration": "1d"},
             "culprits": {"types": {"perCycle": 0.5, "floor": 20}, "stacks": {"floor": "1MiB"}, "top": 3}}
            """, name: "t", file: "t.json")
        #expect(profile.culprits.top == 3)
        #expect(profile.culprits.thresholds[.types] == Threshold(perCycle: 0.5, floor: 20))
        #expect(profile.culprits.thresholds[.stacks] == Threshold(perCycle: 32, floor: 1_048_576))
        #expect(profile.culprits.thresholds[.classes] == CulpritThresholds.defaults[.classes])
    }

    @Test func badCulpritSettingsAreRefusedNamingTheField() {
        let base = """
            {"description": "d", "target": {"tenantd": {"artifactIdle": "1m", "sweepEvery": "10s"}},
             "scenario": {"kind": "service-ghost", "requests": ["/t/t1/a1.service"], "interval": "3m", "duration": "1d"},
             "culprits": %@}
            """
        let cases: [(String, String)] = [
            (#"{"top": 0}"#, "culprits.top"),
            (#"{"top": 101}"#, "at most 100"),
            (#"{"types": {"perCycle": -1}}"#, "culprits.types.perCycle"),
            (#"{"stacks": {"floor": "lots"}}"#, "byte size"),
            (#"{"heaps": {}}"#, "heaps"),
            (#"{"types": {"perHour": 1}}"#, "perHour"),
        ]
        for (culprits, message) in cases {
            let errors = ProfileTesting.errors(base.replacingOccurrences(of: "%@", with: culprits))
            #expect(errors.contains { $0.contains(message) }, "\(culprits): \(errors)")
        }
    }

    @Test func aTighterProfileThresholdNamesAGrowthTheDefaultsLetPass() throws {
        let series = CulpritSeries(
            source: .types, name: "Slow", unit: .instances,
            points: (0..<200).map { SeriesPoint(x: Double($0), t: Double($0) * 180, y: Double($0 / 40)) },
            onCycles: true, frames: [])
        var contents = CulpritLog.Contents()
        contents.series = [series]
        let loose = CulpritJudge.judge(contents, steadyStartSeconds: 0, intervalSeconds: 180, alpha: 0.01)
        #expect(loose?.first?.growing == false)
        let tight = CulpritJudge.judge(
            contents, steadyStartSeconds: 0, intervalSeconds: 180, alpha: 0.01,
            settings: CulpritSettings(thresholds: [.types: Threshold(perCycle: 0.001, floor: 1)], top: 1))
        #expect(tight?.first?.growing == true)
        #expect(tight?.count == 1)
    }
}
