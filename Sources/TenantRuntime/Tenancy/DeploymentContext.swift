/// What an artifact needs to deploy itself: shared by every artifact of a host.
final class DeploymentContext: Sendable {
    let clock: any RuntimeClock
    let deployer: Deployer
    let ghosts: GhostStore
    let leaks: LeakInjector
    let counters: RuntimeCounters
    let live: LiveInstances
    let waitTimeout: Duration
    /// How long an artifact may idle before it is a ghost again; nil without ghost deployment.
    /// A request past this deadline finds a ghost even when the sweep has not run yet.
    let artifactIdle: Duration?

    init(
        clock: any RuntimeClock, deployer: Deployer, ghosts: GhostStore, leaks: LeakInjector,
        counters: RuntimeCounters, live: LiveInstances, waitTimeout: Duration, artifactIdle: Duration? = nil
    ) {
        self.artifactIdle = artifactIdle
        self.clock = clock
        self.deployer = deployer
        self.ghosts = ghosts
        self.leaks = leaks
        self.counters = counters
        self.live = live
        self.waitTimeout = waitTimeout
    }
}
