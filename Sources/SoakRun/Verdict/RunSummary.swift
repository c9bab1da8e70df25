import FoundationEssentials
import SoakAnalysis

/// `summary.json`: the judged run. Everything a report, a diff, a baseline or a CI step needs,
/// without re-reading the samples. The README documents every field.
package struct RunSummary: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning; readers refuse schemas they do not know.
    package var schema = RunSummary.currentSchema
    package var profile: String
    package var profileDescription: String
    /// The run folder the summary was made from.
    package var runFolder: String
    package var verdict: RunVerdict
    /// One sentence on why, for people and CI annotations.
    package var verdictReason: String
    /// How the run ended (`run.json`'s status).
    package var status: RunManifest.Status
    package var accelerate: Double
    /// The clock the run replayed on, in words: `stepped`, `scaled at 7200x` or `real time`; nil
    /// in summaries written before it was named.
    package var clock: String?
    package var scenarioKind: String
    package var intervalSeconds: Double
    package var durationSeconds: Double
    package var plannedCycles: Int
    package var cyclesCompleted: Int
    package var startedAt: Date
    package var endedAt: Date?
    package var targetExit: TargetExit?
    package var teardown: TeardownStep?
    package var integrity: Integrity
    package var requests: RequestSummary
    /// What the background load did (`scenario.load`), apart from the scenario's requests.
    package var load: LoadRecord?
    /// Per-metric leak analysis.
    package var analysis: LeakAnalysis
    /// Where memory goes: types, stacks and classes judged as warn-only series (schema 2); nil
    /// when the run recorded none.
    package var culprits: [CulpritFinding]?
    package var soakVersion: String
    package var kernel: String
    /// What the folder's files prove and where they fall short; nil in summaries written before
    /// soak checked its evidence.
    package var evidence: RunEvidence?
    /// Simulated seconds the samples reach: the clock that really passed, which a slipped
    /// schedule takes past `durationSeconds`; nil without samples.
    package var simulatedSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case schema, profile, verdict, status, accelerate, teardown, integrity, requests, analysis, kernel, evidence
        case culprits, load, clock
        case simulatedSeconds = "simulated_s"
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

    /// The summary of a run as `manifest` records it, before any verdict: the one place a summary
    /// is put together, for the final judgement and the interim one alike.
    package init(
        manifest: RunManifest, runFolder: String, integrity: Integrity, requests: RequestSummary,
        analysis: LeakAnalysis
    ) {
        profile = manifest.profile
        profileDescription = manifest.profileDescription
        self.runFolder = runFolder
        verdict = .pass
        verdictReason = ""
        status = manifest.status
        accelerate = manifest.accelerate
        clock = Self.clockName(manifest)
        scenarioKind = manifest.scenarioKind
        intervalSeconds = manifest.intervalSeconds
        durationSeconds = manifest.durationSeconds
        plannedCycles = manifest.plannedCycles
        cyclesCompleted = max(manifest.cyclesCompleted, integrity.cycles)
        startedAt = manifest.startedAt
        endedAt = manifest.endedAt
        targetExit = manifest.targetExit
        teardown = manifest.teardown
        self.integrity = integrity
        self.requests = requests
        load = manifest.load
        self.analysis = analysis
        soakVersion = manifest.soakVersion
        kernel = manifest.kernel
    }

    /// The clock of the run `manifest` records, in words: the stepped clock, the scaled clock with
    /// its factor, or real time (a scale of 1, and every `soak watch`).
    package static func clockName(_ manifest: RunManifest) -> String {
        if manifest.isStepped { return "stepped" }
        if manifest.watch != nil || manifest.accelerate == 1 { return "real time" }
        let factor = manifest.accelerate
        let text = factor == factor.rounded() && abs(factor) < 1e15 ? String(Int64(factor)) : "\(factor)"
        return "scaled at \(text)x"
    }

    /// The analysis of one metric, if it was judged.
    package func metric(_ metric: Metric) -> MetricAnalysis? {
        analysis.metrics.first { $0.metric == metric }
    }

    /// The built-in metrics, then those declared in either summary, each once, in report order.
    package static func metrics(of summaries: RunSummary...) -> [Metric] {
        var metrics = Metric.allCases
        for summary in summaries {
            for entry in summary.analysis.metrics where !metrics.contains(entry.metric) { metrics.append(entry.metric) }
        }
        return metrics
    }
}

/// The verdict on a whole run, which decides `soak`'s exit code.
package enum RunVerdict: String, Codable, Sendable, CaseIterable {
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
    package var exitCode: ExitCode {
        switch self {
        case .pass: .pass
        case .leak: .leak
        case .invalid, .crashed, .interrupted, .inconclusive: .failed
        }
    }
}

/// Request counts and latency, cold (the request loaded a tenant or deployed a ghost) against
/// warm (everything was already loaded).
package struct RequestSummary: Codable, Sendable, Equatable {
    package var total = 0
    /// Requests without a response or with a status they do not expect.
    package var failed = 0
    /// The first of them (`POST /orders: connection refused by 127.0.0.1:8080`); nil when none failed.
    package var firstFailure: String?
    package var cold = LatencySummary()
    package var warm = LatencySummary()

    package init() {}

    enum CodingKeys: String, CodingKey {
        case total, failed, cold, warm
        case firstFailure = "first_failure"
    }
}

/// Latency percentiles in milliseconds over successful requests.
package struct LatencySummary: Codable, Sendable, Equatable {
    package var count = 0
    package var p50Milliseconds: Double?
    package var p90Milliseconds: Double?
    package var p99Milliseconds: Double?
    package var maxMilliseconds: Double?

    package init() {}

    enum CodingKeys: String, CodingKey {
        case count
        case p50Milliseconds = "p50_ms"
        case p90Milliseconds = "p90_ms"
        case p99Milliseconds = "p99_ms"
        case maxMilliseconds = "max_ms"
    }

    /// Summarises `latencies` (milliseconds, any order).
    package init(latencies: [Double]) {
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
