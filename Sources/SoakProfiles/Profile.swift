/// A soak run described as data: what to start, what to replay, how to sample and how to judge.
///
/// Profiles are JSON files in `Profiles/`; `ProfileLoader` parses and validates them and refuses
/// unknown fields. Every duration here is in simulated time unless its name says `wall`.
import SoakAnalysis
import SoakUnits

package struct Profile: Sendable, Equatable {
    /// The profile's name: the file name without `.json`.
    package var name: String
    /// One line saying what the profile checks (shown by `soak profiles`).
    package var description: String
    package var target: Target
    package var scenario: Scenario
    package var sampling: Sampling
    /// Leak thresholds per metric; metrics not listed use `Threshold.defaults`.
    package var thresholds: [Metric: Threshold]
    /// Regression tolerances for `soak diff`, per metric.
    package var tolerances: [Metric: Tolerance]
    package var limits: Limits
    /// The clock scale used when `soak run` is given no `--accelerate` (scaled clock only).
    package var accelerate: Double
    /// Scaled (wall time times `accelerate`) or stepped (the harness advances virtual time).
    package var clock: ClockMode = .scaled
    /// Significance level of the trend test: a metric leaks only when Mann–Kendall (Hamed–Rao)
    /// rejects "no trend" at this level.
    package var alpha: Double = 0.01
    /// When a type, stack or class counts as growing, and how many a report names.
    package var culprits = CulpritSettings()

    package init(
        name: String, description: String, target: Target, scenario: Scenario,
        sampling: Sampling = Sampling(), thresholds: [Metric: Threshold] = [:],
        tolerances: [Metric: Tolerance] = [:], limits: Limits = Limits(), accelerate: Double = 1
    ) {
        self.name = name
        self.description = description
        self.target = target
        self.scenario = scenario
        self.sampling = sampling
        self.thresholds = thresholds
        self.tolerances = tolerances
        self.limits = limits
        self.accelerate = accelerate
    }

    /// The threshold for `metric`: the profile's own, else the shipped default, else the default
    /// for a declared metric of its unit.
    package func threshold(for metric: Metric) -> Threshold {
        if let own = thresholds[metric] ?? Threshold.defaults[metric] { return own }
        if let base = ProcessColumns.base(of: metric, in: target) { return threshold(for: base) }
        return DeclaredColumns.defaultThreshold(for: metric)
    }

    /// Every metric a run of this profile judges: the built-in ones, then those its target's
    /// metric sources declare, then a load command's (which only warn).
    package var metrics: [Metric] {
        Metric.allCases + DeclaredColumns.metrics(of: target) + ProcessColumns.metrics(of: target)
            + LoadColumns.metrics(of: scenario)
    }
}

extension Profile {
    /// What the driver replays.
    package struct Scenario: Sendable, Equatable {
        package var kind: ScenarioKind
        /// Requests sent each cycle, in order (`GET /t/<tenant>/<artifact>`). Empty: sample only.
        package var requests: [Request]
        /// Simulated time between cycles.
        package var interval: Duration
        /// Simulated length of the whole run.
        package var duration: Duration
        /// The steady window starts after this much simulated time...
        package var warmup: Warmup = .fraction(0.1)
        /// Wall-clock bound on one request.
        package var requestTimeoutWall: Duration = .seconds(5)
        /// For `manyTenants`: how the active subset moves.
        package var churn: Churn? = nil
        /// Traffic beside the scenario (`scenario.load`); nil for none.
        package var load: Load? = nil

        package init(kind: ScenarioKind, requests: [Request], interval: Duration, duration: Duration) {
            self.kind = kind
            self.requests = requests
            self.interval = interval
            self.duration = duration
        }

        /// The number of cycles the run replays (0 for a zero interval, which validation refuses).
        package var cycles: Int { duration.wholeMultiples(of: interval) }
    }

    /// The integrity rule a scenario implies.
    package enum ScenarioKind: String, Sendable, Equatable, CaseIterable {
        /// Every request after the first must find its artifact a ghost.
        case serviceGhost = "service-ghost"
        /// Every request after the first must find its tenant unloaded.
        case tenantUnload = "tenant-unload"
        /// Hundreds of tenants, a seeded active subset that changes over time; no integrity rule.
        case manyTenants = "many-tenants"
        /// Requests with no expectation about state.
        case plain
        /// No requests: sample only.
        case sampleOnly = "sample-only"
    }

    /// How much of the start is excluded from the leak fit (the analysis's own type).
    package typealias Warmup = WarmupWindow

    /// The active set of a many-tenants run.
    package struct Churn: Sendable, Equatable {
        package var tenants: Int
        package var artifactsPerTenant: Int
        /// How many tenants get requests each cycle.
        package var activeTenants: Int
        /// Simulated time between changes of the active subset.
        package var changeEvery: Duration
        package var seed: UInt64
        /// A load that rises and falls: during the first half of every `peakEvery` the active set
        /// holds `peakTenants` tenants, during the second half `activeTenants`. nil for a set of
        /// constant size.
        package var peakTenants: Int? = nil
        package var peakEvery: Duration? = nil

        package init(tenants: Int, artifactsPerTenant: Int, activeTenants: Int, changeEvery: Duration, seed: UInt64) {
            self.tenants = tenants
            self.artifactsPerTenant = artifactsPerTenant
            self.activeTenants = activeTenants
            self.changeEvery = changeEvery
            self.seed = seed
        }

        /// How many tenants are active at `time` of simulated time since the start.
        package func activeCount(at time: Duration) -> Int {
            guard let peakTenants, let peakEvery, peakEvery > .zero else { return activeTenants }
            let phase = time.secondsValue.truncatingRemainder(dividingBy: peakEvery.secondsValue)
            return phase < peakEvery.secondsValue / 2 ? peakTenants : activeTenants
        }

        /// The most tenants active in any cycle.
        package var mostActive: Int { max(activeTenants, peakTenants ?? 0) }
    }

    /// How often the harness samples.
    package struct Sampling: Sendable, Equatable {
        /// Simulated time between periodic samples.
        package var every: Duration = .seconds(30)
        /// The shortest wall-clock period, whatever the acceleration.
        package var minimumWallPeriod: Duration = .milliseconds(20)
        /// One sample per cycle just before the request.
        package var troughs: Bool = true
        /// The /proc files each kind of sample reads (`sampling.reads`).
        package var reads = SampleReads()

        package init() {}
    }

    /// Bounds on the run.
    package struct Limits: Sendable, Equatable {
        /// Memory the target may use; gives a projected time to reach it.
        package var memoryBytes: Int? = nil
        /// Grace between SIGTERM and SIGKILL at teardown (wall clock).
        package var teardownGraceWall: Duration = .seconds(5)
        /// The highest `--accelerate` accepted for this profile.
        package var maxAccelerate: Double = 100_000

        package init() {}
    }
}

/// How much a candidate may exceed a baseline before `soak diff` calls it a regression.
package enum Tolerance: Sendable, Equatable, Codable {
    /// Relative to the baseline (0.05 is 5%).
    case relative(Double)
    /// In the metric's unit.
    case absolute(Double)
}
