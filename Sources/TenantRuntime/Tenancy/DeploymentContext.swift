/// What an artifact needs to deploy itself: shared by every artifact of a host.
final class DeploymentContext: Sendable {
    let clock: any RuntimeClock
    let deployer: Deployer
    let ghosts: GhostStore
    let leaks: LeakInjector
    let counters: RuntimeCounters
    let live: LiveInstances
    let waitTimeout: Duration

    init(
        clock: any RuntimeClock, deployer: Deployer, ghosts: GhostStore, leaks: LeakInjector,
        counters: RuntimeCounters, live: LiveInstances, waitTimeout: Duration
    ) {
        self.clock = clock
        self.deployer = deployer
        self.ghosts = ghosts
        self.leaks = leaks
        self.counters = counters
        self.live = live
        self.waitTimeout = waitTimeout
    }
}
