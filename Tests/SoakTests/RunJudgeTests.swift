import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// The run verdict from folders in every state a run can leave them in.
@Suite struct RunJudgeTests {
    /// A run folder holding `run.json`, the synthetic samples and one request event per cycle.
    func folder(
        status: RunManifest.Status, harnessPID: Int32 = getpid(), run: AnalysisSyntheticRun = AnalysisSyntheticRun(),
        badCycle: Int? = nil, integrityInManifest: Bool = true, samples: String? = nil
    ) throws -> RunFolder {
        try RunFolderFixture.make(
            status: status, harnessPID: harnessPID, run: run, badCycle: badCycle,
            integrityInManifest: integrityInManifest, samples: samples)
    }

    @Test func cleanCompletedRunPasses() throws {
        let judgement = try RunJudge.judge(folder(status: .completed))
        #expect(judgement.summary.verdict == .pass, "\(judgement.summary.verdictReason)")
        // Every request of the service scenario finds a ghost, so every one is cold.
        #expect(judgement.summary.requests.cold.count == 200)
        #expect(judgement.summary.requests.warm.count == 0)
        #expect(judgement.summary.requests.cold.maxMilliseconds == 15)
    }

    @Test func growingHeapIsALeakNamingTheMetric() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + Double($0) * 4096 }
        let summary = try RunJudge.judge(folder(status: .completed, run: run)).summary
        #expect(summary.verdict == .leak)
        #expect(summary.verdict.exitCode == .leak)
        #expect(summary.verdictReason.contains("heap_in_use leaks"), "\(summary.verdictReason)")
    }

    @Test func pssMovedByOtherProcessesWarnsButDoesNotFailTheRun() throws {
        // The trough PSS of a real 60-cycle run of tenantd while other tests started and stopped
        // copies of the same binary beside it: shared pages were re-divided, and PSS climbed
        // 1.4 MiB while RSS and anonymous memory stayed flat.
        let pss = [
            5115904, 5115904, 5115904, 5115904, 4935680, 4935680, 4939776, 4939776, 4939776, 4921344, 4939776,
            4939776, 4939776, 4939776, 5120000, 5725184, 5988352, 6315008, 6305792, 5514240,
        ] + [Int](repeating: 5388288, count: 8) + [6298624, 6280192, 6280192, 6279168, 6280192]
            + [Int](repeating: 6298624, count: 27)
        var lines = ["sim_seconds,kind,cycle,rss_bytes,rss_anon_bytes,pss_bytes,fds,threads"]
        for (index, value) in pss.enumerated() {
            let cycle = index + 1
            let anon = index < 6 ? 1945600 : 1949696
            lines.append("\(Double(cycle) * 180),trough,\(cycle),23052288,\(anon),\(value),9,3")
        }
        var run = AnalysisSyntheticRun()
        run.cycles = 60
        let summary = try RunJudge.judge(
            folder(status: .completed, run: run, samples: lines.joined(separator: "\n") + "\n")).summary
        #expect(summary.metric(.pss)?.verdict == .leak, "the rise itself is significant")
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
        #expect(summary.verdictReason.contains("warning: pss grows"), "\(summary.verdictReason)")
        #expect(summary.metric(.rssAnon)?.verdict == .pass)
    }

    @Test func thresholdOverridesChangeTheVerdict() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + Double($0) * 4096 }
        let lenient = [Metric.heapInUse: Threshold(perCycle: 1_048_576, floor: 0)]
        let summary = try RunJudge.judge(folder(status: .completed, run: run), thresholds: lenient).summary
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
    }

    @Test func integrityUnder100PercentIsInvalidEvenWithoutALeak() throws {
        let summary = try RunJudge.judge(folder(status: .completed, badCycle: 57)).summary
        #expect(summary.verdict == .invalid)
        #expect(summary.verdictReason.contains("199/200"), "\(summary.verdictReason)")
        #expect(summary.verdictReason.contains("--accelerate"))
    }

    @Test func crashedRunIsCrashedWhateverItsNumbers() throws {
        let summary = try RunJudge.judge(folder(status: .crashed)).summary
        #expect(summary.verdict == .crashed)
        #expect(summary.verdictReason.contains("signal 9"))
    }

    @Test func killedHarnessIsReportedFromTheEventLog() throws {
        // A pid that cannot be alive: the harness died with run.json still saying running.
        let folder = try folder(status: .running, harnessPID: 0, badCycle: nil, integrityInManifest: false)
        let summary = try RunJudge.judge(folder).summary
        #expect(summary.verdict == .interrupted)
        #expect(summary.verdictReason.contains("killed"), "\(summary.verdictReason)")
        #expect(summary.integrity.cycles == 200)
        #expect(summary.integrity.validCycles == 200)
    }

    @Test func runningRunGetsAnInterimVerdict() throws {
        // This test process stands in for the harness; it is not named soak, so it must not count.
        let stranger = try RunJudge.judge(folder(status: .running, integrityInManifest: false)).summary
        #expect(stranger.verdict == .interrupted)
        #expect(RunJudge.decide(
            try RunManifest.read(from: folder(status: .running).manifest), stranger, harnessAlive: true
        ).1.hasPrefix("interim"))
    }

    @Test func truncatedLastLineIsSkippedAndSaid() throws {
        let text = AnalysisSyntheticRun().csv() + "199,periodic,1048"
        let summary = try RunJudge.judge(folder(status: .completed, samples: text)).summary
        #expect(summary.analysis.droppedPartialLastLine)
        #expect(summary.verdict == .pass)
    }

    @Test func tooShortARunIsInconclusiveNeverPass() throws {
        var run = AnalysisSyntheticRun()
        run.cycles = 6
        run.periodicPerCycle = 1
        let summary = try RunJudge.judge(folder(status: .completed, run: run)).summary
        #expect(summary.verdict == .inconclusive, "\(summary.verdictReason)")
        #expect(summary.verdict.exitCode == .failed)
    }

    @Test func notARunFolderSaysSo() throws {
        let path = NSTemporaryDirectory() + "lazysoak-judge-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: RunJudgeError.self) { try RunJudge.judge(RunFolder(path: path)) }
        do {
            _ = try RunJudge.judge(RunFolder(path: path))
        } catch {
            #expect(error.description.contains("not a run folder"))
        }
    }

    @Test func summaryRoundTripsAndRefusesOtherSchemas() throws {
        let folder = try folder(status: .completed)
        let summary = try RunJudge.judge(folder).summary
        try summary.write(to: folder.summaryJSON)
        #expect(try RunSummary.read(from: folder.summaryJSON) == summary)
        var text = try String(contentsOfFile: folder.summaryJSON, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"schema\" : \(RunSummary.currentSchema)", with: "\"schema\" : 99")
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.summaryJSON))
        #expect(throws: SummaryFileError.self) { try RunSummary.read(from: folder.summaryJSON) }
        try Data("{\"schema\": 1}".utf8).write(to: URL(fileURLWithPath: folder.summaryJSON))
        do {
            _ = try RunSummary.read(from: folder.summaryJSON)
            Issue.record("a summary without fields was accepted")
        } catch {
            #expect(error.description.contains("missing field"), "\(error)")
        }
    }
}
