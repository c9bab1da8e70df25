import FoundationEssentials
import PosixSupport

/// `run.json`: what ran, how, and how it ended. Written when the run starts (status `running`)
/// and rewritten atomically when it ends, so a killed harness leaves a readable manifest.
package struct RunManifest: Codable, Sendable {
    /// How a run ended.
    package enum Status: String, Codable, Sendable {
        case running, completed, interrupted, crashed
        /// The target never became ready.
        case notReady = "not-ready"
    }

    package var schema = 1
    package var profile: String
    package var profileDescription: String
    /// The arguments `soak` was started with.
    package var commandLine: [String]
    package var soakVersion: String
    package var kernel: String
    package var harnessPID: Int32
    package var accelerate: Double
    package var scenarioKind: String
    package var intervalSeconds: Double
    package var durationSeconds: Double
    package var plannedCycles: Int
    package var targetCommand: [String] = []
    package var targetPID: Int32?
    package var startedAt: Date
    package var endedAt: Date?
    package var status: Status = .running
    /// A sentence on why the run ended as it did, for anything but `completed`.
    package var statusReason: String?
    package var targetExit: TargetExit?
    package var teardown: TeardownStep?
    package var cyclesCompleted = 0
    package var integrity = Integrity()
    package var requests = 0
    package var failedRequests = 0
    /// What `soak watch` attached to; nil for a run whose target soak started.
    package var watch: WatchRecord?
    /// What `scenario.load` did; nil without one (or until it stopped).
    package var load: LoadRecord?
    /// `scaled` or `stepped`; nil in run folders written before the stepped clock (scaled).
    package var clock: String?
    /// Cycles the harness started late (descheduled, a stalled request); nil in older folders.
    package var lateCycles: Int?
    /// Valid cycles whose request found its state past its idle deadline but not yet swept:
    /// the target's sweep slipped, the meaning held. Nil in older folders.
    package var sweptLateCycles: Int?
    /// A fleet target's integrity rules as checked at the end; nil for other targets.
    package var fleet: FleetCheck?

    /// Lines the harness wrote to `culprits.jsonl`; nil in older folders and while the run goes on.
    package var culpritReadings: Int?

    /// Whether the run replayed on the target's stepped clock.
    package var isStepped: Bool { clock == "stepped" }

    enum CodingKeys: String, CodingKey {
        case schema, profile, kernel, accelerate, status, teardown, integrity, requests, watch, load, fleet
        case profileDescription = "profile_description"
        case commandLine = "command_line"
        case soakVersion = "soak_version"
        case harnessPID = "harness_pid"
        case scenarioKind = "scenario_kind"
        case intervalSeconds = "interval_s"
        case durationSeconds = "duration_s"
        case plannedCycles = "planned_cycles"
        case targetCommand = "target_command"
        case targetPID = "target_pid"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case statusReason = "status_reason"
        case targetExit = "target_exit"
        case cyclesCompleted = "cycles_completed"
        case failedRequests = "failed_requests"
        case clock
        case lateCycles = "late_cycles"
        case sweptLateCycles = "swept_late_cycles"
        case culpritReadings = "culprit_readings"
    }

    /// Writes the manifest atomically (temporary file and rename).
    package func write(to path: String) throws {
        try RunFileJSON.write(self, to: path)
    }

    /// Marks the run ended now, as `status` says and `reason` explains.
    package mutating func end(_ status: Status, reason: String?) {
        self.status = status
        statusReason = reason
        endedAt = Date()
    }

    /// Writes `folder`'s run.json, telling `log` when it cannot: a full disk must not end a run
    /// whose samples are still being written.
    package func save(in folder: RunFolder, log: (String) -> Void) {
        do {
            try write(to: folder.manifest)
        } catch {
            log("warning: cannot write run.json: \(FileErrorText.describe(error))")
        }
    }

    /// Reads a manifest.
    /// Refuses a schema other than this soak's, and says in words what is wrong with a file it
    /// cannot read.
    package static func read(from path: String) throws(JSONFileProblem) -> RunManifest {
        try JSONFileProblem.read(RunManifest.self, from: path, schema: 1) { $0.schema }
    }
}
