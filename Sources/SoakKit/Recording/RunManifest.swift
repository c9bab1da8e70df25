import FoundationEssentials

/// `run.json`: what ran, how, and how it ended. Written when the run starts (status `running`)
/// and rewritten atomically when it ends, so a killed harness leaves a readable manifest.
public struct RunManifest: Codable, Sendable {
    /// How a run ended.
    public enum Status: String, Codable, Sendable {
        case running, completed, interrupted, crashed
        /// The target never became ready.
        case notReady = "not-ready"
    }

    public var schema = 1
    public var profile: String
    public var profileDescription: String
    /// The arguments `soak` was started with.
    public var commandLine: [String]
    public var soakVersion: String
    public var kernel: String
    public var harnessPID: Int32
    public var accelerate: Double
    public var scenarioKind: String
    public var intervalSeconds: Double
    public var durationSeconds: Double
    public var plannedCycles: Int
    public var targetCommand: [String] = []
    public var targetPID: Int32?
    public var startedAt: Date
    public var endedAt: Date?
    public var status: Status = .running
    /// A sentence on why the run ended as it did, for anything but `completed`.
    public var statusReason: String?
    public var targetExit: TargetExit?
    public var teardown: TeardownStep?
    public var cyclesCompleted = 0
    public var integrity = Integrity()
    public var requests = 0
    public var failedRequests = 0

    enum CodingKeys: String, CodingKey {
        case schema, profile, kernel, accelerate, status, teardown, integrity, requests
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
    }

    /// Writes the manifest atomically (temporary file and rename).
    public func write(to path: String) throws {
        try RunFileJSON.write(self, to: path)
    }

    /// Reads a manifest.
    public static func read(from path: String) throws -> RunManifest {
        try RunFileJSON.decoder.decode(RunManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
