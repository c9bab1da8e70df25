import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

/// Synthetic run folders for tests that judge runs (`RunJudgeTests`) or compare them (`DiffTests`):
/// `run.json`, the samples of an `AnalysisSyntheticRun` and one request event per cycle.
enum RunFolderFixture {
    /// A run folder in a fresh temporary directory. `badCycle` is a cycle whose request breaks the
    /// scenario's integrity; `integrityInManifest: false` leaves integrity to the event log, as a
    /// killed harness does; `samples` replaces the generated CSV text; the first request takes
    /// `firstMilliseconds`, the others `laterMilliseconds`.
    static func make(
        profile: String = "synthetic", scenarioKind: String = "service-ghost",
        status: RunManifest.Status, harnessPID: Int32 = getpid(), run: AnalysisSyntheticRun = AnalysisSyntheticRun(),
        badCycle: Int? = nil, integrityInManifest: Bool = true, samples: String? = nil, firstMilliseconds: Double = 15,
        laterMilliseconds: Double = 0.5
    ) throws -> RunFolder {
        let path = NSTemporaryDirectory() + "lazysoak-judge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let folder = RunFolder(path: path)
        var manifest = RunManifest(
            profile: profile, profileDescription: "test", commandLine: [], soakVersion: "test", kernel: "test",
            harnessPID: harnessPID, accelerate: 7200, scenarioKind: scenarioKind,
            intervalSeconds: run.intervalSeconds, durationSeconds: Double(run.cycles) * run.intervalSeconds,
            plannedCycles: run.cycles, startedAt: Date())
        manifest.status = status
        manifest.statusReason = status == .crashed ? "the target was killed by signal 9 (SIGKILL)" : nil
        // A real log starts with the target's readiness; the judge tells a log from a foreign file by it.
        var events = #"{"type":"ready","message":"target pid 1 ready"}"# + "\n"
        for cycle in 0..<run.cycles {
            let ok = cycle != badCycle
            let latency = cycle == 0 ? firstMilliseconds : laterMilliseconds
            events += #"{"type":"request","cycle":\#(cycle),"sim_seconds":\#(Double(cycle) * run.intervalSeconds),"#
                + #""path":"/t/t1/a1.service","status":200,"latency_ms":\#(latency),"#
                + #""tenant_was":"loaded","artifact_was":"\#(cycle == 0 || ok ? "ghost" : "actual")","ok":\#(ok)}"#
                + "\n"
        }
        if integrityInManifest {
            manifest.cyclesCompleted = run.cycles
            manifest.integrity = Integrity(events: RequestEvent.parse(lines: events))
        }
        try manifest.write(to: folder.manifest)
        try Data((samples ?? run.csv()).utf8).write(to: URL(fileURLWithPath: folder.samples))
        try Data(events.utf8).write(to: URL(fileURLWithPath: folder.events))
        return folder
    }
}
