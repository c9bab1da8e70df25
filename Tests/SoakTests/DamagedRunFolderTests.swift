import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// `soak report` on run folders damaged after the run: every variant is judged non-zero with the
/// damaged file or column named, never a pass. (The fault matrix found four of them passing.)
@Suite struct DamagedRunFolderTests {
    /// A completed clean run of a command target with a stats endpoint, so heap_in_use is judged.
    func cleanFolder() throws -> RunFolder {
        let folder = try RunFolderFixture.make(status: .completed)
        var manifest = try RunManifest.read(from: folder.manifest)
        manifest.requests = 200
        try manifest.write(to: folder.manifest)
        let profile = """
            {"description": "a server with heap counters", "target": {"command": {"argv": ["server", "--port", "{port}"], "ready": {"stdoutLine": "ready"},
              "baseURL": "http://127.0.0.1:{port}", "statsURL": "http://127.0.0.1:{port}/stats"}},
             "scenario": {"kind": "plain", "requests": ["/"], "interval": "3m", "duration": "10h"}}
            """
        try Data(profile.utf8).write(to: URL(fileURLWithPath: folder.profileCopy))
        return folder
    }

    func judge(_ folder: RunFolder) throws -> RunSummary { try RunJudge.judge(folder).summary }

    func rewrite(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data(change(text).utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Replaces one column's value on every data row of samples.csv.
    func blankColumn(_ name: String, with value: String, in folder: RunFolder) throws {
        try rewrite(folder.samples) { text in
            var lines = text.split(separator: "\n").map(String.init)
            let index = lines[0].split(separator: ",").firstIndex { $0 == name }!
            for row in 1..<lines.count {
                var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[index] = value
                lines[row] = fields.joined(separator: ",")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    @Test func theUndamagedFolderPasses() throws {
        let summary = try judge(cleanFolder())
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
        #expect(summary.evidence?.damaged == [] && summary.evidence?.unjudged == [], "\(String(describing: summary.evidence))")
        #expect(summary.evidence?.schedule.map { $0.factor <= 1 } == true)
        let lastPeriodic: Double = 199 * 180 + 1 + 150
        #expect(summary.simulatedSeconds == lastPeriodic)
    }

    @Test(arguments: [("rss_bytes", "NaN"), ("rss_bytes", ""), ("heap_in_use_bytes", ""), ("fds", "nan"),
                      ("threads", "")])
    func aJudgedColumnWithoutValuesIsInconclusiveNamingIt(column: String, value: String) throws {
        let folder = try cleanFolder()
        try blankColumn(column, with: value, in: folder)
        let summary = try judge(folder)
        #expect(summary.verdict == .inconclusive, "\(summary.verdictReason)")
        #expect(summary.verdictReason.contains("samples.csv's \(column) column has no value in any of its"),
                "\(summary.verdictReason)")
        #expect(summary.verdict.exitCode == .failed)
    }

    @Test func negativeReadingsAreDamage() throws {
        let folder = try cleanFolder()
        try blankColumn("rss_bytes", with: "-1", in: folder)
        let summary = try judge(folder)
        #expect(summary.verdict == .invalid, "\(summary.verdictReason)")
        #expect(summary.verdictReason.hasPrefix("samples.csv's rss_bytes column holds 1400 negative value(s)"),
                "\(summary.verdictReason)")
    }

    @Test func aLeakElsewhereStillFailsAsALeak() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + Double($0) * 4096 }
        let folder = try RunFolderFixture.make(status: .completed, run: run)
        try blankColumn("rss_bytes", with: "", in: folder)
        let summary = try judge(folder)
        #expect(summary.verdict == .leak, "\(summary.verdictReason)")
        #expect(summary.evidence?.unjudged.first?.hasPrefix("rss: ") == true)
    }

    @Test(arguments: ["deleted", "emptied", "binary", "foreign JSON", "cut to half", "every request a violation",
                      "a FIFO nobody writes", "a folder"])
    func aDamagedEventLogIsInvalidNamingIt(damage: String) throws {
        let folder = try cleanFolder()
        switch damage {
        case "deleted": try FileManager.default.removeItem(atPath: folder.events)
        case "emptied": try Data().write(to: URL(fileURLWithPath: folder.events))
        case "binary": try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
            .write(to: URL(fileURLWithPath: folder.events))
        case "foreign JSON": try Data(#"{"a": 1}"#.utf8 + [10]).write(to: URL(fileURLWithPath: folder.events))
        case "a FIFO nobody writes":
            // Opened for reading, it would block the judge for ever.
            try FileManager.default.removeItem(atPath: folder.events)
            #expect(mkfifo(folder.events, 0o644) == 0)
        case "a folder":
            try FileManager.default.removeItem(atPath: folder.events)
            try FileManager.default.createDirectory(atPath: folder.events, withIntermediateDirectories: false)
        case "every request a violation": try rewrite(folder.events) {
            $0.replacingOccurrences(of: #""ok":true"#, with: #""ok":false"#)
        }
        default: try rewrite(folder.events) { text in
            let lines = text.split(separator: "\n")
            return lines.prefix(lines.count / 2).joined(separator: "\n") + "\n"
        }
        }
        let summary = try judge(folder)
        #expect(summary.verdict == .invalid, "\(damage): \(summary.verdictReason)")
        #expect(summary.verdictReason.hasPrefix("events.jsonl "), "\(damage): \(summary.verdictReason)")
        #expect(summary.evidence?.damaged.count == 1)
    }

    @Test func samplesCutToHalfAreInvalidNotAFullPass() throws {
        let folder = try cleanFolder()
        try rewrite(folder.samples) { text in
            let lines = text.split(separator: "\n")
            return lines.prefix(lines.count / 2).joined(separator: "\n") + "\n"
        }
        let summary = try judge(folder)
        #expect(summary.verdict == .invalid, "\(summary.verdictReason)")
        #expect(summary.verdictReason.hasPrefix("samples.csv ends at cycle 99, though run.json records 200 "
            + "completed cycle(s)"), "\(summary.verdictReason)")
    }

    @Test(arguments: ["deleted", "emptied"])
    func missingSamplesAreInvalid(damage: String) throws {
        let folder = try cleanFolder()
        if damage == "deleted" {
            try FileManager.default.removeItem(atPath: folder.samples)
        } else {
            try Data().write(to: URL(fileURLWithPath: folder.samples))
        }
        let summary = try judge(folder)
        #expect(summary.verdict == .invalid, "\(summary.verdictReason)")
        #expect(summary.verdictReason.hasPrefix(damage == "deleted" ? "samples.csv is missing" : "samples.csv has no sample"),
                "\(summary.verdictReason)")
    }

    @Test func aSlippedScheduleIsNamedInTheVerdictWithItsCause() throws {
        // 200 cycles of 180 s whose clock ran to 5.4 times the plan, each cycle's request taking
        // longer than the interval at the run's scale (7200: 25 ms of wall time).
        let folder = try cleanFolder()
        try rewrite(folder.samples) { text in
            var lines = text.split(separator: "\n").map(String.init)
            let index = lines[0].split(separator: ",").firstIndex { $0 == "sim_seconds" }!
            for row in 1..<lines.count {
                var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[index] = String(Double(fields[index])! * 5.4)
                lines[row] = fields.joined(separator: ",")
            }
            return lines.joined(separator: "\n") + "\n"
        }
        try rewrite(folder.events) { $0.replacingOccurrences(of: #""latency_ms":0.5"#, with: #""latency_ms":44"#) }
        let summary = try judge(folder)
        // Every idle period lasted its interval, so the per-cycle verdict stands; the slip is said.
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
        #expect(summary.verdictReason.contains("; warning: the schedule ran 5.4x slower than planned"),
                "\(summary.verdictReason)")
        #expect(summary.verdictReason.contains("requests take 44 ms a cycle, longer than the 25 ms interval"),
                "\(summary.verdictReason)")
        #expect(summary.simulatedSeconds.map { $0 > 5 * summary.durationSeconds } == true)
    }

    @Test(arguments: [
        ("", "the file is empty"), ("garbage{", "not valid JSON"), ("[]", "the top level: expected an object"),
        ("{}", "field schema is missing"),
    ])
    func anUnreadableManifestIsSaidInWords(text: String, problem: String) throws {
        let folder = try cleanFolder()
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.manifest))
        #expect(throws: RunJudgeError("\(folder.manifest): not a run manifest soak can read (\(problem)); expected "
            + "the run.json soak run writes")) { try RunJudge.judge(folder) }
    }

    @Test func aManifestOfANewerSchemaIsRefused() throws {
        let folder = try cleanFolder()
        try rewrite(folder.manifest) { $0.replacingOccurrences(of: #""schema" : 1"#, with: #""schema" : 99"#) }
        #expect(throws: JSONFileProblem("schema 99, where this soak reads 1: a newer soak wrote it")) {
            try RunManifest.read(from: folder.manifest)
        }
    }
}
