import FoundationEssentials
import SoakAnalysis

/// `status.json`: where a run stands, rewritten atomically by the harness every few seconds of
/// wall time (or few percent of progress) while it runs, and once more when it ends. `soak status`
/// reads it; a CI job can too. Small on purpose: the full judgement is `soak report`'s.
package struct RunStatus: Codable, Sendable, Equatable {
    /// What the harness is doing.
    package enum Phase: String, Codable, Sendable {
        /// Seeding the registry, starting the target, waiting for readiness.
        case starting
        /// Replaying the scenario.
        case running
        /// The run ended; `run.json` says how and `summary.json` holds the verdict.
        case ended
    }

    /// Progress of the replay.
    package struct Progress: Codable, Sendable, Equatable {
        package var cycle = 0
        package var plannedCycles = 0
        package var simSeconds = 0.0
        package var totalSimSeconds = 0.0
        /// Wall seconds since the harness started the run.
        package var wallSeconds = 0.0
        /// Wall seconds left at the current pace; nil before the replay has moved.
        package var etaSeconds: Double?
        /// Simulated share done, 0...100.
        package var percent = 0.0

        package init() {}

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
    package struct Latest: Codable, Sendable, Equatable {
        package var simSeconds: Double?
        package var rssBytes: Double?
        package var pssBytes: Double?
        package var heapInUseBytes: Double?
        package var liveInstances: Double?
        package var fds: Double?
        package var threads: Double?
        package var cpuSeconds: Double?
        package var harnessRSSBytes: Double?
        /// The columns metric sources declared (a fleet's `front_rss`, `node0_rss_anon`, a
        /// Prometheus column), by name; nil when the target declares none.
        package var declared: [String: Double]?

        package init() {}

        /// The values of `row`.
        package init(_ row: SampleRow) {
            simSeconds = row[.simSeconds]
            rssBytes = row[.rssBytes]
            pssBytes = row[.pssBytes]
            heapInUseBytes = row[.heapInUseBytes]
            liveInstances = row[.liveInstances]
            fds = row[.fds]
            threads = row[.threads]
            cpuSeconds = row[.cpuSeconds]
            harnessRSSBytes = row[.harnessRSSBytes]
            declared = row.declared.isEmpty ? nil : row.declared.filter { $0.value.isFinite }
        }

        enum CodingKeys: String, CodingKey {
            case fds, threads, declared
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
    package struct Requests: Codable, Sendable, Equatable {
        /// 2xx and found what the scenario expects.
        package var ok = 0
        /// 2xx but found the wrong state (an integrity failure).
        package var integrityViolations = 0
        /// No response, or not 2xx.
        package var failed = 0

        package init() {}

        package var total: Int { ok + integrityViolations + failed }

        enum CodingKeys: String, CodingKey {
            case ok, failed
            case integrityViolations = "integrity_violations"
        }
    }

    package var schema = 1
    package var phase: Phase
    /// `run.json`'s status once the run has ended; nil before.
    package var endStatus: RunManifest.Status?
    package var profile: String
    package var runFolder: String
    package var harnessPID: Int32
    package var accelerate: Double
    package var startedAt: Date
    package var updatedAt: Date
    package var progress = Progress()
    package var latest: Latest?
    package var integrity = Integrity()
    package var requests = Requests()
    /// The verdict so far, from the troughs seen (see `InterimJudge`); nil before enough troughs.
    package var interim: InterimVerdict?
    /// `--metrics-listen`'s bound address, "127.0.0.1:9464".
    package var metricsAddress: String?

    package init(profile: String, runFolder: String, harnessPID: Int32, accelerate: Double, startedAt: Date) {
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
    package func write(to path: String) throws {
        try RunFileJSON.write(self, to: path)
    }

    /// Reads a status file; nil when it is missing or not one.
    package static func read(from path: String) -> RunStatus? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? RunFileJSON.decoder.decode(RunStatus.self, from: data)
    }
}

/// The verdict of a run so far, in `status.json` and on `/metrics`.
package struct InterimVerdict: Codable, Sendable, Equatable {
    /// One metric's fit so far.
    package struct Metric: Codable, Sendable, Equatable {
        package var metric: SoakAnalysis.Metric
        package var verdict: LeakVerdict
        /// Points fitted.
        package var n: Int
        package var slopePerHour: Double?
        package var lowSlopePerHour: Double?
        package var highSlopePerHour: Double?
        package var reason: String

        enum CodingKeys: String, CodingKey {
            case metric, verdict, n, reason
            case slopePerHour = "slope_per_hour"
            case lowSlopePerHour = "low_slope_per_hour"
            case highSlopePerHour = "high_slope_per_hour"
        }
    }

    /// One culprit's fit so far.
    package struct Culprit: Codable, Sendable, Equatable {
        package var source: CulpritSource
        package var name: String
        package var unit: MetricUnit
        package var growing: Bool
        package var slopePerCycle: Double?
        /// The latest value read.
        package var last: Double?

        enum CodingKeys: String, CodingKey {
            case source, name, unit, growing, last
            case slopePerCycle = "slope_per_cycle"
        }
    }

    package var verdict: RunVerdict
    package var reason: String
    /// Simulated seconds at the last point judged.
    package var simSeconds: Double
    /// Where the steady window starts (simulated seconds); nil in older status files.
    package var steadyStartSeconds: Double?
    /// Troughs seen so far, and how many seen troughs each kept point stands for.
    package var troughsSeen: Int
    package var stride: Int
    package var metrics: [Metric]
    /// The culprits followed so far (a few per source), growing ones first; nil when none.
    package var culprits: [Culprit]?

    enum CodingKeys: String, CodingKey {
        case verdict, reason, stride, metrics, culprits
        case steadyStartSeconds = "steady_start_s"
        case simSeconds = "sim_seconds"
        case troughsSeen = "troughs_seen"
    }
}
