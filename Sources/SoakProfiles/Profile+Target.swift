/// The target of a profile: `tenantd` on a seeded registry, or any program, and how the harness
/// knows it is ready.
import SoakAnalysis
import SoakUnits

extension Profile {
    /// The process under test.
    package enum Target: Sendable, Equatable {
        /// `tenantd` from this package, on a seeded registry.
        case tenantd(TenantdTarget)
        /// Any program, with a readiness rule.
        case command(CommandTarget)
    }

    /// `tenantd` with a registry fixture seeded into the run folder.
    package struct TenantdTarget: Sendable, Equatable {
        package var tenants: Int = 1
        package var artifactsPerTenant: Int = 1
        /// `service` or `webapp`.
        package var kind: String = "service"
        package var payloadKB: Int = 64
        package var tenantIdle: Duration = .seconds(30 * 60)
        package var artifactIdle: Duration = .seconds(10 * 60)
        package var sweepEvery: Duration = .seconds(60)
        /// `--eager` list (`*`, `!name`, names); empty for lazy.
        package var eager: String = ""
        package var noGhost: Bool = false
        /// `retain-cycle`, `global-cache`, `fd` or `thread`; nil for a clean runtime.
        package var injectLeak: String? = nil
        /// Bytes leaked per load by `global-cache` (and carried by `retain-cycle`).
        package var leakBytes: Int = 1024
        /// More flags passed to tenantd as they are.
        package var extraArguments: [String] = []
        /// Run a fleet of such tenantd nodes behind `tenantd fleet`; nil for one tenantd.
        package var fleet: FleetSettings? = nil

        package init() {}
    }

    /// A generic program under test.
    package struct CommandTarget: Sendable, Equatable {
        /// Program and arguments. `{port}` is replaced by a free loopback port, `{run}` by the run folder.
        package var argv: [String]
        package var workingDirectory: String? = nil
        package var environment: [String: String] = [:]
        package var ready: Readiness
        /// Wall-clock bound on readiness.
        package var readyTimeoutWall: Duration = .seconds(30)
        /// Base URL requests go to (`{port}` substituted): `http://HOST:PORT[/prefix]`, where HOST is a
        /// name, an IPv4 address or a bracketed IPv6 one; nil when the target takes no requests.
        package var baseURL: String? = nil
        /// Flag the target takes for the clock scale (for example `--time-scale`); nil when none.
        package var timeScaleFlag: String? = nil
        /// Where the target serves the stepped-clock protocol (`{port}` substituted); nil when it
        /// does not, and then a stepped run of it is refused.
        package var clockURL: String? = nil
        /// URL of a `/_runtime/stats`-shaped JSON endpoint for heap counters; nil when none.
        package var statsURL: String? = nil
        /// The target's Prometheus endpoint (`{port}` substituted); nil when none.
        package var metricsURL: String? = nil
        /// Columns read from `metricsURL`, in the order given.
        package var metrics: [PrometheusColumn] = []
        /// Read the JVM's perf data; nil when the target is not read as a JVM.
        package var jvm: JVMSettings? = nil
        /// Publish an allocator's counters from inside the target; nil when none.
        package var heap: HeapCounters? = nil
        /// Sample allocation stacks too (`heap: {"kind": "glibc", "stacks": true}`); nil when not.
        package var heapStacks: StackSampling? = nil

        package init(argv: [String], ready: Readiness) {
            self.argv = argv
            self.ready = ready
        }
    }

    /// How the harness knows a command target is ready.
    package enum Readiness: Sendable, Equatable {
        /// A line on stdout containing this text.
        case stdoutLine(String)
        /// A file that appears and holds the port number.
        case portFile(String)
        /// A URL that answers 2xx.
        case httpURL(String)
        /// Just wait this long (wall clock).
        case delay(Duration)
    }
}
