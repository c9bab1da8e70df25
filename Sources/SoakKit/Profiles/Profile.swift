/// A soak run described as data: what to start, what to replay, how to sample and how to judge.
///
/// Profiles are JSON files in `Profiles/`; `ProfileLoader` parses and validates them and refuses
/// unknown fields. Every duration here is in simulated time unless its name says `wall`.
public struct Profile: Sendable, Equatable {
    /// The profile's name: the file name without `.json`.
    public var name: String
    /// One line saying what the profile checks (shown by `soak profiles`).
    public var description: String
    public var target: Target
    public var scenario: Scenario
    public var sampling: Sampling
    /// Leak thresholds per metric; metrics not listed use `Threshold.defaults`.
    public var thresholds: [Metric: Threshold]
    /// Regression tolerances for `soak diff`, per metric.
    public var tolerances: [Metric: Tolerance]
    public var limits: Limits
    /// The clock scale used when `soak run` is given no `--accelerate`.
    public var accelerate: Double
    /// Significance level of the trend test: a metric leaks only when Mann–Kendall (Hamed–Rao)
    /// rejects "no trend" at this level.
    public var alpha: Double = 0.01

    public init(
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

    /// The threshold for `metric`: the profile's own, else the shipped default.
    public func threshold(for metric: Metric) -> Threshold {
        thresholds[metric] ?? Threshold.defaults[metric] ?? Threshold(perCycle: 0, floor: 0)
    }
}

extension Profile {
    /// The process under test.
    public enum Target: Sendable, Equatable {
        /// `tenantd` from this package, on a seeded registry.
        case tenantd(TenantdTarget)
        /// Any program, with a readiness rule.
        case command(CommandTarget)
    }

    /// `tenantd` with a registry fixture seeded into the run folder.
    public struct TenantdTarget: Sendable, Equatable {
        public var tenants: Int = 1
        public var artifactsPerTenant: Int = 1
        /// `service` or `webapp`.
        public var kind: String = "service"
        public var payloadKB: Int = 64
        public var tenantIdle: Duration = .seconds(30 * 60)
        public var artifactIdle: Duration = .seconds(10 * 60)
        public var sweepEvery: Duration = .seconds(60)
        /// `--eager` list (`*`, `!name`, names); empty for lazy.
        public var eager: String = ""
        public var noGhost: Bool = false
        /// `retain-cycle`, `global-cache`, `fd` or `thread`; nil for a clean runtime.
        public var injectLeak: String? = nil
        /// Bytes leaked per load by `global-cache` (and carried by `retain-cycle`).
        public var leakBytes: Int = 1024
        /// More flags passed to tenantd as they are.
        public var extraArguments: [String] = []

        public init() {}
    }

    /// A generic program under test.
    public struct CommandTarget: Sendable, Equatable {
        /// Program and arguments. `{port}` is replaced by a free loopback port, `{run}` by the run folder.
        public var argv: [String]
        public var workingDirectory: String? = nil
        public var environment: [String: String] = [:]
        public var ready: Readiness
        /// Wall-clock bound on readiness.
        public var readyTimeoutWall: Duration = .seconds(30)
        /// Base URL requests go to (`{port}` substituted); nil when the target takes no requests.
        public var baseURL: String? = nil
        /// Flag the target takes for the clock scale (for example `--time-scale`); nil when none.
        public var timeScaleFlag: String? = nil
        /// URL of a `/_runtime/stats`-shaped JSON endpoint for heap counters; nil when none.
        public var statsURL: String? = nil

        public init(argv: [String], ready: Readiness) {
            self.argv = argv
            self.ready = ready
        }
    }

    /// How the harness knows a command target is ready.
    public enum Readiness: Sendable, Equatable {
        /// A line on stdout containing this text.
        case stdoutLine(String)
        /// A file that appears and holds the port number.
        case portFile(String)
        /// A URL that answers 2xx.
        case httpURL(String)
        /// Just wait this long (wall clock).
        case delay(Duration)
    }

    /// What the driver replays.
    public struct Scenario: Sendable, Equatable {
        public var kind: ScenarioKind
        /// Paths requested each cycle, in order (`/t/<tenant>/<artifact>`). Empty: sample only.
        public var requests: [String]
        /// Simulated time between cycles.
        public var interval: Duration
        /// Simulated length of the whole run.
        public var duration: Duration
        /// The steady window starts after this much simulated time...
        public var warmup: Warmup = .fraction(0.1)
        /// Wall-clock bound on one request.
        public var requestTimeoutWall: Duration = .seconds(5)
        /// For `manyTenants`: how the active subset moves.
        public var churn: Churn? = nil

        public init(kind: ScenarioKind, requests: [String], interval: Duration, duration: Duration) {
            self.kind = kind
            self.requests = requests
            self.interval = interval
            self.duration = duration
        }

        /// The number of cycles the run replays.
        public var cycles: Int { Int(duration / interval) }
    }

    /// The integrity rule a scenario implies.
    public enum ScenarioKind: String, Sendable, Equatable, CaseIterable {
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

    /// How much of the start is excluded from the leak fit.
    public enum Warmup: Sendable, Equatable {
        case fraction(Double)
        case duration(Duration)
    }

    /// The active set of a many-tenants run.
    public struct Churn: Sendable, Equatable {
        public var tenants: Int
        public var artifactsPerTenant: Int
        /// How many tenants get requests each cycle.
        public var activeTenants: Int
        /// Simulated time between changes of the active subset.
        public var changeEvery: Duration
        public var seed: UInt64

        public init(tenants: Int, artifactsPerTenant: Int, activeTenants: Int, changeEvery: Duration, seed: UInt64) {
            self.tenants = tenants
            self.artifactsPerTenant = artifactsPerTenant
            self.activeTenants = activeTenants
            self.changeEvery = changeEvery
            self.seed = seed
        }
    }

    /// How often the harness samples.
    public struct Sampling: Sendable, Equatable {
        /// Simulated time between periodic samples.
        public var every: Duration = .seconds(30)
        /// The shortest wall-clock period, whatever the acceleration.
        public var minimumWallPeriod: Duration = .milliseconds(20)
        /// One sample per cycle just before the request.
        public var troughs: Bool = true

        public init() {}
    }

    /// Bounds on the run.
    public struct Limits: Sendable, Equatable {
        /// Memory the target may use; gives a projected time to reach it.
        public var memoryBytes: Int? = nil
        /// Grace between SIGTERM and SIGKILL at teardown (wall clock).
        public var teardownGraceWall: Duration = .seconds(5)
        /// The highest `--accelerate` accepted for this profile.
        public var maxAccelerate: Double = 100_000

        public init() {}
    }
}

/// When a metric leaks: the slope's lower bound above `perCycle` and fitted growth above `floor`.
public struct Threshold: Sendable, Equatable, Codable {
    /// Units (bytes, instances, ...) per cycle the slope's lower bound must exceed.
    public var perCycle: Double
    /// Units the fitted growth over the steady window must exceed.
    public var floor: Double

    public init(perCycle: Double, floor: Double) {
        self.perCycle = perCycle
        self.floor = floor
    }
}

/// How much a candidate may exceed a baseline before `soak diff` calls it a regression.
public enum Tolerance: Sendable, Equatable, Codable {
    /// Relative to the baseline (0.05 is 5%).
    case relative(Double)
    /// In the metric's unit.
    case absolute(Double)
}
