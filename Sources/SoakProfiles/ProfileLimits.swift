/// The bounds a profile's numbers are held to, in one place; Profiles/README.md ("Limits") lists
/// the same values and says why.
///
/// Each bound keeps a run meaningful and finite: beyond it the harness would trap (a byte count
/// past 2^63), seed for hours (100,000 tenants), spin (an idle time of a microsecond divided by the
/// clock scale is zero), or replay a scenario nobody could run. Values past a bound are refused
/// before anything starts, with the bound in the message.
import SoakUnits

package enum ProfileLimits {
    private static let kibibyte = 1024
    private static let gibibyte = 1 << 30
    private static let tebibyte = 1 << 40
    private static let year = Duration.seconds(366 * 86_400)

    // MARK: Byte sizes

    /// `limits.memory`: a projection to more than a terabyte says nothing about one process.
    package static let memory = StatedLimit<Int>.bytes(1...tebibyte)
    /// `target.command.jvm.histogramEvery`: a histogram starts a JVM, so never at every trough of a
    /// fast cycle unless asked; past a million troughs there would be none.
    package static let histogramEvery = StatedLimit<Int>.count(1...1_000_000)
    /// `target.command.heap.sampleEvery`: below 16 bytes every allocation is sampled anyway; above a
    /// gibibyte a sample would almost never be taken.
    package static let stackSampleBytes = StatedLimit<Int>.bytes(16...gibibyte)
    /// `target.tenantd.leakBytes`: a gibibyte per load exhausts any machine in a few cycles.
    package static let leakBytes = StatedLimit<Int>.bytes(0...gibibyte)
    /// Threshold and tolerance amounts of byte metrics.
    package static let byteAmount = StatedLimit<Double>.byteAmount(0...Double(tebibyte))
    /// Threshold and tolerance amounts of counted metrics (descriptors, threads, instances).
    package static let countAmount = StatedLimit<Double>.number(0...1_000_000_000)

    // MARK: Counts

    /// `culprits.top`: findings kept per source; past 100 no report could show them.
    package static let culpritTop = StatedLimit<Int>.count(1...100)

    /// `target.tenantd.tenants` and `scenario.churn.tenants`: the runtime bench's largest registry.
    package static let tenants = StatedLimit<Int>.count(1...10_000)
    /// Nodes of a fleet: each is a process with columns of its own in samples.csv.
    package static let fleetNodes = StatedLimit<Int>.count(1...32)
    /// `target.tenantd.artifactsPerTenant` and `scenario.churn.artifactsPerTenant`.
    package static let artifactsPerTenant = StatedLimit<Int>.count(1...1_000)
    /// tenants × artifactsPerTenant: every artifact is a file written before the run starts, and
    /// 10,000 take about a minute to seed on a slow disk.
    package static let seededArtifacts = StatedLimit<Int>.count(1...10_000)
    /// `target.tenantd.payloadKB`: 64 MiB of state per deployed artifact.
    package static let payloadKB = StatedLimit<Int>.count(0...64 * kibibyte)
    /// Requests sent in one cycle (`scenario.requests`, times `activeTenants` for many-tenants).
    package static let requestsPerCycle = StatedLimit<Int>.count(1...10_000)
    /// `scenario.load.connections`: one thread each in the harness; past 64 the harness itself
    /// would be the busiest process on the machine, and a heavier load is a job for a command.
    package static let loadConnections = StatedLimit<Int>.count(1...64)
    /// `scenario.load.requests`: the list the load cycles through.
    package static let loadRequests = StatedLimit<Int>.count(1...1_000)
    /// Cycles in a run (duration ÷ interval): 8 days at one cycle a second is 691,200.
    package static let cycles = StatedLimit<Int>.count(1...1_000_000)

    /// `scenario.load.perSecond`, over all connections: one request a minute up to what one
    /// loopback connection per thread can carry without the load starving the sampler.
    package static let loadPerSecond = StatedLimit<Double>.number(0.0167...10_000)

    // MARK: Durations

    /// `tenantIdle`, `artifactIdle` and `sweepEvery` of a tenantd target: tenantd divides them by
    /// the clock scale, and below a millisecond its sweeper would wake continuously.
    package static let runtimeIdle = StatedLimit<Duration>.duration(.milliseconds(1)...year)
    /// `scenario.duration`: a year of simulated time.
    package static let scenarioDuration = StatedLimit<Duration>.duration(.nanoseconds(1)...year)
    /// Wall-clock waits (`readyTimeout`, `ready.delay`, `requestTimeout`, `teardownGrace`): an
    /// hour is already far past any target worth soaking.
    package static let wallWait = StatedLimit<Duration>.duration(.zero...Duration.seconds(3600))
    /// `sampling.minimumWallPeriod`: the sampler costs tens of microseconds per read; below a
    /// millisecond it would sample continuously.
    package static let minimumWallPeriod = StatedLimit<Duration>.duration(.milliseconds(1)...Duration.seconds(3600))

    // MARK: Clock

    /// `accelerate` and `--accelerate`: at least real time (a slower clock only makes a run longer,
    /// and a scale near zero rounds to zero on tenantd's command line).
    package static let accelerate = StatedLimit<Double>(1...1_000_000) { bound in
        bound == 1 ? "1 (real time)" : DecimalText.format(bound, significant: 6)
    }
    /// `limits.maxAccelerate`: a million simulated seconds per wall second, about 11.6 days a second.
    package static let maxAccelerate = accelerate
}
