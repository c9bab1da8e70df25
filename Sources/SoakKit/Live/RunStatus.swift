import FoundationEssentials

/// `status.json`: where a run stands, rewritten atomically by the harness every few seconds of
/// wall time (or few percent of progress) while it runs, and once more when it ends. `soak status`
/// reads it; a CI job can too. Small on purpose: the full judgement is `soak report`'s.
public struct RunStatus: Codable, Sendable, Equatable {
    /// What the harness is doing.
    public enum Phase: String, Codable, Sendable {
        /// Seeding the registry, starting the target, waiting for readiness.
        case starting
        /// Replaying the scenario.
        case running
        /// The run ended; `run.json` says how and `summary.json` holds the verdict.
        case ended
    }

    /// Progress of the replay.
    public struct Progress: Codable, Sendable, Equatable {
        public var cycle = 0
        public var plannedCycles = 0
        public var simSeconds = 0.0
        public var totalSimSeconds = 0.0
        /// Wall seconds since the harness started the run.
        public var wallSeconds = 0.0
        /// Wall seconds left at the current pace; nil before the replay has moved.
        public var etaSeconds: Double?
        /// Simulated share done, 0...100.
        public var percent = 0.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case cycle, percent
            case plannedCycles = "planned_cycles"
            case simSeconds = "sim_seconds"
            case totalSimSeconds = "total_sim_seconds"
            case wallSeconds = "wall_seconds"
            case etaSeconds = "eta_s"
        }
    }

    /// The latest sample's main values; nil where the sample had none.
    public struct Latest: Codable, Sendable, Equatable {
        public var simSeconds: Double?
        public var rssBytes: Double?
        public var pssBytes: Double?
        public var heapInUseBytes: Double?
        public var liveInstances: Double?
        public var fds: Double?
        public var threads: Double?
        public var cpuSeconds: Double?
        public var harnessRSSBytes: Double?

        public init() {}

        /// The values of `row`.
        public init(_ row: SampleRow) {
            simSeconds = row[.simSeconds]
            rssBytes = row[.rssBytes]
            pssBytes = row[.pssBytes]
            heapInUseBytes = row[.heapInUseBytes]
            liveInstances = row[.liveInstances]
            fds = row[.fds]
            threads = row[.threads]
            cpuSeconds = row[.cpuSeconds]
            harnessRSSBytes = row[.harnessRSSBytes]
        }

        enum CodingKeys: String, CodingKey {
            case fds, threads
            case simSeconds = "sim_seconds"
            case rssBytes = "rss_bytes"
            case pssBytes = "pss_bytes"
            case heapInUseBytes = "heap_in_use_bytes"
            case liveInstances = "live_instances"
            case cpuSeconds = "cpu_seconds"
            case harnessRSSBytes = "harness_rss_bytes"
        }
    }

    /// Requests sent so far, by outcome.
    public struct Requests: Codable, Sendable, Equatable {
        /// 2xx and found what the scenario expects.
        public var ok = 0
        /// 2xx but found the wrong state (an integrity failure).
        public var integrityViolations = 0
        /// No response, or not 2xx.
        public var failed = 0

        public init() {}

        public var total: Int { ok + integrityViolations + failed }

        enum CodingKeys: String, CodingKey {
            case ok, failed
            case integrityViolations = "integrity_violations"
        }
    }

    public var schema = 1
    public var phase: Phase
    /// `run.json`'s status once the run has ended; nil before.
    public var endStatus: RunManifest.Status?
    public var profile: String
    public var runFolder: String
    public var harnessPID: Int32
    public var accelerate: Double
    public var startedAt: Date
    public var updatedAt: Date
    public var progress = Progress()
    public var latest: Latest?
    public var integrity = Integrity()
    public var requests = Requests()
    /// The verdict so far, from the troughs seen (see `InterimJudge`); nil before enough troughs.
    public var interim: InterimVerdict?
    /// `--metrics-listen`'s bound address, "127.0.0.1:9464".
    public var metricsAddress: String?

    public init(profile: String, runFolder: String, harnessPID: Int32, accelerate: Double, startedAt: Date) {
        phase = .starting
        self.profile = profile
        self.runFolder = runFolder
        self.harnessPID = harnessPID
        self.accelerate = accelerate
        self.startedAt = startedAt
        updatedAt = startedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema, phase, profile, accelerate, progress, latest, integrity, requests, interim
        case endStatus = "end_status"
        case runFolder = "run_folder"
        case harnessPID = "harness_pid"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case metricsAddress = "metrics_address"
    }

    /// Writes the status atomically (temporary file and rename): a reader never sees half a file.
    public func write(to path: String) throws {
        try RunFileJSON.write(self, to: path)
    }

    /// Reads a status file; nil when it is missing or not one.
    public static func read(from path: String) -> RunStatus? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? RunFileJSON.decoder.decode(RunStatus.self, from: data)
    }
}

/// The verdict of a run so far, in `status.json` and on `/metrics`.
public struct InterimVerdict: Codable, Sendable, Equatable {
    /// One metric's fit so far.
    public struct Metric: Codable, Sendable, Equatable {
        public var metric: SoakKit.Metric
        public var verdict: LeakVerdict
        /// Points fitted.
        public var n: Int
        public var slopePerHour: Double?
        public var lowSlopePerHour: Double?
        public var highSlopePerHour: Double?
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case metric, verdict, n, reason
            case slopePerHour = "slope_per_hour"
            case lowSlopePerHour = "low_slope_per_hour"
            case highSlopePerHour = "high_slope_per_hour"
        }
    }

    public var verdict: RunVerdict
    public var reason: String
    /// Simulated seconds at the last point judged.
    public var simSeconds: Double
    /// Troughs seen so far, and how many seen troughs each kept point stands for.
    public var troughsSeen: Int
    public var stride: Int
    public var metrics: [Metric]

    enum CodingKeys: String, CodingKey {
        case verdict, reason, stride, metrics
        case simSeconds = "sim_seconds"
        case troughsSeen = "troughs_seen"
    }
}
