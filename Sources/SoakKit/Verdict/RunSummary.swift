import FoundationEssentials

/// `summary.json`: the judged run. Everything a report, a diff, a baseline or a CI step needs,
/// without re-reading the samples. The README documents every field.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning; readers refuse schemas they do not know.
    public var schema = 1
    public var profile: String
    public var profileDescription: String
    /// The run folder the summary was made from.
    public var runFolder: String
    public var verdict: RunVerdict
    /// One sentence on why, for people and CI annotations.
    public var verdictReason: String
    /// How the run ended (`run.json`'s status).
    public var status: RunManifest.Status
    public var accelerate: Double
    public var scenarioKind: String
    public var intervalSeconds: Double
    public var durationSeconds: Double
    public var plannedCycles: Int
    public var cyclesCompleted: Int
    public var startedAt: Date
    public var endedAt: Date?
    public var targetExit: TargetExit?
    public var teardown: TeardownStep?
    public var integrity: Integrity
    public var requests: RequestSummary
    /// Per-metric leak analysis.
    public var analysis: LeakAnalysis
    public var soakVersion: String
    public var kernel: String

    enum CodingKeys: String, CodingKey {
        case schema, profile, verdict, status, accelerate, teardown, integrity, requests, analysis, kernel
        case profileDescription = "profile_description"
        case runFolder = "run_folder"
        case verdictReason = "verdict_reason"
        case scenarioKind = "scenario_kind"
        case intervalSeconds = "interval_s"
        case durationSeconds = "duration_s"
        case plannedCycles = "planned_cycles"
        case cyclesCompleted = "cycles_completed"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case targetExit = "target_exit"
        case soakVersion = "soak_version"
    }

    /// The analysis of one metric, if it was judged.
    public func metric(_ metric: Metric) -> MetricAnalysis? {
        analysis.metrics.first { $0.metric == metric }
    }
}

/// The verdict on a whole run, which decides `soak`'s exit code.
public enum RunVerdict: String, Codable, Sendable, CaseIterable {
    /// Every judged metric passed and every cycle happened as designed. Exit 0.
    case pass
    /// At least one metric leaks. Exit 1.
    case leak
    /// Integrity under 100%: the scenario did not happen as designed. Exit 3.
    case invalid
    /// The target crashed or never became ready. Exit 3.
    case crashed
    /// The run was stopped before its end. Exit 3.
    case interrupted
    /// Too few points to judge some metric, and none leaks. Exit 3: never a silent pass.
    case inconclusive

    /// The exit code `soak` ends with for this verdict.
    public var exitCode: ExitCode {
        switch self {
        case .pass: .pass
        case .leak: .leak
        case .invalid, .crashed, .interrupted, .inconclusive: .failed
        }
    }
}

/// Request counts and latency, cold (the request loaded a tenant or deployed a ghost) against
/// warm (everything was already loaded).
public struct RequestSummary: Codable, Sendable, Equatable {
    public var total = 0
    public var failed = 0
    public var cold = LatencySummary()
    public var warm = LatencySummary()

    public init() {}

    enum CodingKeys: String, CodingKey { case total, failed, cold, warm }
}

/// Latency percentiles in milliseconds over successful requests.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count = 0
    public var p50Milliseconds: Double?
    public var p90Milliseconds: Double?
    public var p99Milliseconds: Double?
    public var maxMilliseconds: Double?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case count
        case p50Milliseconds = "p50_ms"
        case p90Milliseconds = "p90_ms"
        case p99Milliseconds = "p99_ms"
        case maxMilliseconds = "max_ms"
    }

    /// Summarises `latencies` (milliseconds, any order).
    public init(latencies: [Double]) {
        let sorted = latencies.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { return }
        func percentile(_ p: Double) -> Double {
            // Nearest rank: the smallest value with at least p of the values at or below it.
            sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
        }
        p50Milliseconds = percentile(0.50)
        p90Milliseconds = percentile(0.90)
        p99Milliseconds = percentile(0.99)
        maxMilliseconds = sorted.last
    }
}
