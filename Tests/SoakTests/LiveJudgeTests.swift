import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun

/// `soak run` judges the rows its recorder took in as it wrote them; `soak report` reads the
/// folder. Both go through one accumulator, so they must give the same summary.
@Suite struct LiveJudgeTests {
    /// A sample-only command target with one declared, deciding column (`app_bytes`).
    static let profileJSON = """
        {"description": "live", "target": {"command": {"argv": ["./x"], "ready": {"delay": "1s"},
           "metricsURL": "http://127.0.0.1:{port}/metrics", "metrics": {"app_bytes": "app_bytes_total"}}},
         "scenario": {"kind": "sample-only", "interval": "3m", "duration": "10h"},
         "sampling": {"every": "1m", "troughs": true}}
        """

    /// A folder recorded through `RunRecorder`, as `soak run` records it: `cycles` troughs and two
    /// periodic samples a cycle, `appBytes` giving the declared column at each cycle.
    static func record(
        cycles: Int = 200, appBytes: (Int) -> Double = { _ in 5_000_000 }
    ) throws -> (RunFolder, RunManifest, RunRecorder) {
        let path = NSTemporaryDirectory() + "lazysoak-live-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let folder = RunFolder(path: path)
        try profileJSON.write(toFile: folder.profileCopy, atomically: true, encoding: .utf8)
        let profile = try ProfileLoader.load(file: folder.profileCopy)
        let recorder = try RunRecorder(
            folder: folder, declaredColumns: profile.declaredColumns,
            judging: LiveSamples.Plan(profile: profile, scenario: profile.scenario))
        var noise: UInt64 = 7
        func jitter(_ width: Double) -> Double {
            noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(noise >> 40) / Double(1 << 24) * 2 - 1) * width
        }
        for cycle in 0..<cycles {
            for step in 0..<3 {
                var row = SampleRow()
                row.kind = step == 0 ? .trough : .periodic
                row[.cycle] = Double(cycle)
                // Fractions the CSV rounds to six decimals: the live record must see the same.
                row[.simSeconds] = Double(cycle) * 180 + Double(step) * 60 + 0.123_456_789
                row[.rssBytes] = (60 * 1_048_576 + jitter(65536) + (step == 0 ? 0 : 2_097_152)).rounded()
                row[.rssAnonBytes] = (40 * 1_048_576 + jitter(65536)).rounded()
                row[.fds] = 12
                row[.threads] = 8
                row[.harnessRSSBytes] = 9_000_000 + jitter(10) / 3
                row.declared["app_bytes"] = appBytes(cycle) + jitter(4096)
                recorder.record(sample: row)
            }
        }
        recorder.sync()
        var manifest = RunManifest(
            profile: "live", profileDescription: "live", commandLine: [], soakVersion: "test", kernel: "test",
            harnessPID: getpid(), accelerate: 7200, scenarioKind: "sample-only", intervalSeconds: 180,
            durationSeconds: Double(cycles) * 180, plannedCycles: cycles, startedAt: Date())
        manifest.cyclesCompleted = cycles
        manifest.end(.completed, reason: nil)
        try manifest.write(to: folder.manifest)
        return (folder, manifest, recorder)
    }

    @Test func aRunsInMemoryVerdictIsTheReportsVerdict() throws {
        let (folder, manifest, recorder) = try Self.record()
        let live = try #require(recorder.live)
        let run = try RunJudge.judge(folder, manifest: RunManifest.read(from: folder.manifest), samples: live)
        let report = try RunJudge.judge(folder)
        #expect(run.summary.verdict == .pass, "\(run.summary.verdictReason)")
        #expect(run.summary == report.summary)
        #expect(run.samples?.charts.keys.sorted() == report.samples?.charts.keys.sorted())
        #expect(run.summary.analysis.metrics.contains { $0.metric.rawValue == "app_bytes" })
        // The in-memory manifest judges the same as the one read back.
        #expect(try RunJudge.judge(folder, manifest: manifest, samples: live).summary.verdict == .pass)
    }

    @Test func aSeriesLongerThanTheHeldLimitGivesTheSameVerdict() throws {
        let (folder, _, _) = try Self.record(appBytes: { 5_000_000 + Double($0) * 2048 })
        // A tiny limit: every series outgrows it, so the later passes read the file.
        let text = try String(contentsOfFile: folder.samples, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let profile = try ProfileLoader.load(file: folder.profileCopy)
        let plan = LiveSamples.Plan(metrics: profile.metrics, troughs: 200, periodic: 400)
        let live = LiveSamples(header: String(lines[0]), plan: plan, heldLimit: 8)
        for line in lines.dropFirst() where !line.isEmpty { live.add(line + "\n", written: true) }
        let run = try RunJudge.judge(folder, samples: live)
        let report = try RunJudge.judge(folder)
        #expect(run.summary.verdict == .leak)
        #expect(run.summary == report.summary)
    }

    @Test func aLeakOnlyInADeclaredColumnFailsTheRun() throws {
        let (folder, manifest, recorder) = try Self.record(appBytes: { 5_000_000 + Double($0) * 4096 })
        let summary = try RunJudge.judge(folder, manifest: manifest, samples: recorder.live).summary
        #expect(summary.verdict == .leak)
        #expect(summary.verdictReason.contains("app_bytes leaks"), "\(summary.verdictReason)")
    }

    @Test func aSamplesFileCutShortAfterTheRunIsStillInvalid() throws {
        let (folder, manifest, recorder) = try Self.record()
        let text = try String(contentsOfFile: folder.samples, encoding: .utf8)
        let lines = text.split(separator: "\n")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n")
            .write(toFile: folder.samples, atomically: false, encoding: .utf8)
        let summary = try RunJudge.judge(folder, manifest: manifest, samples: recorder.live).summary
        #expect(summary.verdict == .invalid)
        #expect(summary.verdictReason.contains("samples.csv holds"), "\(summary.verdictReason)")
        #expect(summary.evidence?.damaged.contains { $0.contains("ends at cycle") } == true)
    }

    @Test func aLastLineEditedAfterTheRunIsNamed() throws {
        let (folder, manifest, recorder) = try Self.record()
        var text = try String(contentsOfFile: folder.samples, encoding: .utf8)
        // Same length, other digits: only the tail check can tell.
        let last = try #require(text.lastIndex { $0.isNumber && $0 != "1" })
        text.replaceSubrange(last...last, with: "1")
        try text.write(toFile: folder.samples, atomically: false, encoding: .utf8)
        let summary = try RunJudge.judge(folder, manifest: manifest, samples: recorder.live).summary
        #expect(summary.verdict == .invalid)
        #expect(summary.verdictReason.contains("last line is not the one the harness wrote"),
                "\(summary.verdictReason)")
    }

    @Test func aFailedWriteLeavesTheJudgeToTheFile() throws {
        let live = LiveSamples(
            header: SampleColumn.header, plan: LiveSamples.Plan(metrics: Metric.allCases, troughs: 10, periodic: 0))
        live.add("1\n", written: false)
        #expect(live.accumulated(for: Metric.allCases) == nil)
        #expect(live.lostBecause?.contains("write") == true)
    }

    @Test func theSummaryNamesTheClock() throws {
        let (folder, manifest, recorder) = try Self.record(cycles: 30)
        var stepped = manifest
        stepped.clock = "stepped"
        #expect(RunSummary.clockName(stepped) == "stepped")
        var realTime = manifest
        realTime.accelerate = 1
        #expect(RunSummary.clockName(realTime) == "real time")
        var fractional = manifest
        fractional.accelerate = 2.5
        #expect(RunSummary.clockName(fractional) == "scaled at 2.5x")
        let summary = try RunJudge.judge(folder, manifest: manifest, samples: recorder.live).summary
        #expect(summary.clock == "scaled at 7200x")
        let json = try String(decoding: JSONEncoder().encode(summary), as: UTF8.self)
        #expect(json.contains("\"clock\":\"scaled at 7200x\""))
    }
}
