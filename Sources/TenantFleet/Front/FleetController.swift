import Glibc
import Synchronization
import TenantRuntime

/// Keeps the fleet the rule asks for: replaces nodes that died (with backoff while they keep
/// dying young), grows and shrinks on the autoscaler's decisions, and stops a drained node only
/// once nothing is in flight on it.
///
/// ``tick()`` does one round and is what tests call, on manual clocks with a fake launcher;
/// `FleetTicker` calls it from one long-lived thread in `tenantd fleet`. Starting and stopping a
/// node block that thread (a node starts in tens of milliseconds), never a request.
///
/// Two clocks: `clock` is simulated time, for the scale rule's windows (accelerated with the
/// nodes); `wallClock` is real time, for restarts and their backoff, which cost what a process
/// start costs however fast the simulation runs.
package final class FleetController: Sendable {
    package let table: NodeTable
    let launcher: any NodeLauncher
    let clock: any RuntimeClock
    let wallClock: any RuntimeClock
    let log: @Sendable (String) -> Void
    let state: Mutex<State>

    struct State {
        var autoscaler: Autoscaler
        var backoff: RestartBackoff
        var running: [NodeID: any RunningNode] = [:]
        /// Wall time each running node started, and whether it replaced a dead one.
        var started: [NodeID: (at: SimulatedTime, isReplacement: Bool)] = [:]
        /// Ids whose node died, with when that was noticed and when the replacement is due (wall).
        /// A replacement reuses the id, so it takes back exactly the tenants of the one that died.
        var toReplace: [NodeID: (noticed: SimulatedTime, due: SimulatedTime)] = [:]
        var stopping = false
        var ticks = 0
        /// With a decision service: the number and term of the last decision applied.
        var appliedDecision = 0
        var decisionTerm = 0
        var duplicateDecisions = 0
    }

    /// With a decision service, the front reports its load every this many ticks (a batch: the
    /// integrals since start, so a report lost on the way loses nothing).
    static let reportEvery = 5

    /// The decision service, when scale decisions are taken there rather than here.
    package let deciders: DeciderPair?
    /// The other fronts, when there are several.
    package let followers: FollowerFronts?

    /// Ticks between probes of the nodes' loaded tenants when the rule does not scale on them
    /// (the figures are then for stats only); when it does, every tick probes.
    static let statsProbeEvery = 10

    package init(
        table: NodeTable, launcher: any NodeLauncher, rule: ScaleRule, clock: any RuntimeClock,
        wallClock: any RuntimeClock = ScaledClock(scale: 1), backoff: RestartBackoff = RestartBackoff(),
        deciders: DeciderPair? = nil, followers: FollowerFronts? = nil,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.deciders = deciders
        self.followers = followers
        self.table = table
        self.launcher = launcher
        self.clock = clock
        self.wallClock = wallClock
        self.log = log
        state = Mutex(State(autoscaler: Autoscaler(rule: rule), backoff: backoff))
    }

    /// Starts `count` nodes (ids 0…count-1); throws on the first that cannot start.
    package func startInitial(_ count: Int) throws {
        try deciders?.start()
        for index in 0..<count { try startNode(NodeID(index), isReplacement: false) }
        handOver(to: table.routableNodes)
        try followers?.start(deciders: deciders?.addresses ?? [])
    }

    /// One round: reap, replace, probe, decide, finish drains.
    package func tick() {
        deciders?.heal()
        reapEndedNodes()
        replaceDueNodes()
        probeLoadedTenants()
        decide()
        finishDrains()
    }

    /// Drains and stops every node, for the front's own shutdown.
    package func stopAll() {
        followers?.stop()
        let nodes = state.withLock { state in
            state.stopping = true
            state.toReplace = [:]
            return state.running
        }
        for id in nodes.keys { table.drain(id) }
        for (id, node) in nodes.sorted(by: { $0.key < $1.key }) {
            let deadline = ContinuousClock.now + .seconds(5)
            while table.inFlight(on: id) > 0, ContinuousClock.now < deadline { usleep(2_000) }
            node.stop()
            table.remove(id)
        }
        for node in table.nodes { table.remove(node.id) }  // those down awaiting a replacement
        state.withLock { $0.running = [:] }
        deciders?.stop()
    }

    /// Process ids of the nodes running now, by id.
    package var pids: [NodeID: Int32] { state.withLock { $0.running.mapValues(\.pid) } }

    /// The rule the autoscaler applies.
    package var rule: ScaleRule { state.withLock { $0.autoscaler.rule } }

    /// The autoscaler's last measured load per node, for stats.
    package var lastLoadPerNode: Double? { state.withLock { $0.autoscaler.lastLoadPerNode } }

    /// The restart policy's state: which nodes loop, how many restarts waited.
    package var backoff: RestartBackoff { state.withLock { $0.backoff } }

    /// Asks each serving node how many tenants it holds loaded. A node that does not answer keeps
    /// its last figure: a slow node is not an empty one.
    private func probeLoadedTenants() {
        let (running, due) = state.withLock { state -> ([NodeID: any RunningNode], Bool) in
            state.ticks += 1
            let due = state.autoscaler.rule.measure == .tenants || state.ticks % Self.statsProbeEvery == 1
            return (state.running, due)
        }
        guard due else { return }
        for id in table.servingNodes {
            guard let node = running[id], let loaded = node.loadedTenants() else { continue }
            table.record(loadedTenants: loaded, on: id)
        }
    }

    private func decide() {
        if let deciders { return decideRemotely(deciders.client) }
        let now = clock.now
        let load = table.loadSeconds(of: state.withLock { $0.autoscaler.rule.measure })
        let serving = table.servingNodes
        let pending = state.withLock { $0.toReplace.count }
        // Nodes being replaced count as live: a crash is the replacer's job, not a reason to grow.
        let decision = state.withLock { state -> ScaleDecision? in
            state.stopping ? nil : state.autoscaler.observe(at: now, loadSeconds: load,
                                                             liveNodes: serving.count + pending)
        }
        if let decision { apply(decision, serving: serving) }
    }

    func apply(_ decision: ScaleDecision, serving: [NodeID]) {
        // The rule's bounds hold here too: a decision taken elsewhere on a count that has
        // changed since must not drain the last node or start one too many.
        let (rule, pending) = state.withLock { ($0.autoscaler.rule, $0.toReplace.count) }
        switch decision {
        case .grow where serving.count + pending >= rule.maxNodes, .shrink where serving.count <= rule.minNodes:
            log("decision not applied, the fleet is at its bound: \(decision)")
            table.count { $0.record(decision: "not applied (at a bound): \(decision)") }
            return
        default:
            break
        }
        switch decision {
        case .grow(let reason):
            let taken = Set(state.withLock { Array($0.running.keys) + Array($0.toReplace.keys) })
            let id = NodeID((0...).first { !taken.contains(NodeID($0)) }!)
            do {
                try startNode(id, isReplacement: false)
                handOver(to: table.routableNodes)
                table.count { $0.grows += 1; $0.record(decision: "grow to \(serving.count + 1): \(reason)") }
            } catch {
                log("cannot start \(id): \(error)")
            }
        case .shrink(let reason):
            // The newest node goes: ids stay compact and only its tenants move.
            guard let id = serving.max() else { return }
            handOver(to: table.routableNodes.filter { $0 != id })
            table.drain(id)
            table.count { $0.shrinks += 1; $0.record(decision: "shrink to \(serving.count - 1): \(reason)") }
        }
    }

    /// Stops draining nodes with nothing in flight. A draining node with a request in flight is
    /// left for a later tick, however long the request takes: never killed under it.
    private func finishDrains() {
        for node in table.nodes where node.phase == .draining && node.inFlight == 0 {
            guard let process = state.withLock({ $0.running[node.id] }) else { continue }
            process.stop()
            table.remove(node.id)
            state.withLock { state in
                state.running[node.id] = nil
                state.started[node.id] = nil
                state.backoff.forget(node.id)
            }
            log("\(node.id) (pid \(process.pid)) drained and stopped")
        }
    }

    func startNode(_ id: NodeID, isReplacement: Bool) throws {
        let node = try launcher.start(id)
        // A replacement takes back its predecessor's partitions before any request reaches it.
        if isReplacement, table.partitions != nil, !table.partitionOwners.isEmpty {
            guard node.own(partitions: PartitionMap.partitions(of: id, in: table.partitionOwners)) else {
                node.stop()
                throw NodeStartError("\(id) (pid \(node.pid)) did not take its partitions")
            }
        }
        let now = wallClock.now
        state.withLock { state in
            state.running[id] = node
            state.started[id] = (now, isReplacement)
        }
        table.add(id: id, address: node.address, pid: node.pid)
        log("\(id) (pid \(node.pid)) serving on \(node.address)")
    }
}
