import Glibc
import Synchronization
import TenantRuntime

/// Keeps the fleet the rule asks for: replaces nodes that died, grows and shrinks on the
/// autoscaler's decisions, and stops a drained node only once nothing is in flight on it.
///
/// ``tick()`` does one round and is what tests call, on a manual clock with a fake launcher;
/// ``run(every:)`` calls it from one long-lived thread in `tenantd fleet`. Starting and stopping
/// a node block that thread (a node starts in tens of milliseconds), never a request.
package final class FleetController: Sendable {
    package let table: NodeTable
    let launcher: any NodeLauncher
    let clock: any RuntimeClock
    let log: @Sendable (String) -> Void
    private let state: Mutex<State>

    struct State {
        var autoscaler: Autoscaler
        var running: [NodeID: any RunningNode] = [:]
        /// Ids whose node died and is to be started again; a replacement reuses the id, so the
        /// tenants that left with the crash come back to it.
        var toReplace: [NodeID: ContinuousClock.Instant] = [:]
        var stopping = false
        var ticks = 0
    }

    /// Ticks between probes of the nodes' loaded tenants when the rule does not scale on them
    /// (the figures are then for stats only); when it does, every tick probes.
    static let statsProbeEvery = 10

    package init(
        table: NodeTable, launcher: any NodeLauncher, rule: ScaleRule, clock: any RuntimeClock,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.table = table
        self.launcher = launcher
        self.clock = clock
        self.log = log
        state = Mutex(State(autoscaler: Autoscaler(rule: rule)))
    }

    /// Starts `count` nodes (ids 0…count-1); throws on the first that cannot start.
    package func startInitial(_ count: Int) throws {
        for index in 0..<count { try startNode(NodeID(index)) }
    }

    /// One round: reap, replace, probe, decide, finish drains.
    package func tick() {
        for (id, node) in state.withLock({ $0.running }) where node.hasEnded() && table.isServingOrDraining(id) {
            let drained = table.nodes.first { $0.id == id }?.phase == .draining
            table.remove(id)
            state.withLock { state in
                state.running[id] = nil
                if !drained { state.toReplace[id] = .now }
            }
            log("\(id) (pid \(node.pid)) ended\(drained ? " while draining" : "; replacing it")")
        }
        for (id, noticed) in state.withLock({ $0.toReplace }).sorted(by: { $0.key < $1.key }) {
            guard (try? startNode(id)) != nil else { continue }  // tried again next tick
            let millis = (ContinuousClock.now - noticed).secondsValue * 1000
            state.withLock { _ = $0.toReplace.removeValue(forKey: id) }
            table.count {
                $0.replacements += 1
                $0.lastReplacementMillis = millis
                $0.record(decision: "replaced \(id) in \(Int(millis)) ms")
            }
        }
        probeLoadedTenants()
        decide()
        finishDrains()
    }

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

    /// Drains and stops every node, for the front's own shutdown.
    package func stopAll() {
        let nodes = state.withLock { state in
            state.stopping = true
            return state.running
        }
        for id in nodes.keys { table.drain(id) }
        for (id, node) in nodes.sorted(by: { $0.key < $1.key }) {
            let deadline = ContinuousClock.now + .seconds(5)
            while table.inFlight(on: id) > 0, ContinuousClock.now < deadline { usleep(2_000) }
            node.stop()
            table.remove(id)
        }
        state.withLock { $0.running = [:] }
    }

    /// Process ids of the nodes running now, by id.
    package var pids: [NodeID: Int32] { state.withLock { $0.running.mapValues(\.pid) } }

    /// The rule the autoscaler applies.
    package var rule: ScaleRule { state.withLock { $0.autoscaler.rule } }

    /// The autoscaler's last measured load per node, for stats.
    package var lastLoadPerNode: Double? { state.withLock { $0.autoscaler.lastLoadPerNode } }

    private func decide() {
        let now = clock.now
        let load = table.loadSeconds(of: state.withLock { $0.autoscaler.rule.measure })
        let serving = table.servingNodes
        let pending = state.withLock { $0.toReplace.count }
        // Nodes being replaced count as live: a crash is the replacer's job, not a reason to grow.
        let decision = state.withLock { state -> ScaleDecision? in
            state.stopping ? nil : state.autoscaler.observe(at: now, loadSeconds: load,
                                                             liveNodes: serving.count + pending)
        }
        switch decision {
        case .grow(let reason):
            let taken = Set(state.withLock { Array($0.running.keys) + Array($0.toReplace.keys) })
            let id = NodeID((0...).first { !taken.contains(NodeID($0)) }!)
            do {
                try startNode(id)
                table.count { $0.grows += 1; $0.record(decision: "grow to \(serving.count + 1): \(reason)") }
            } catch {
                log("cannot start \(id): \(error)")
            }
        case .shrink(let reason):
            // The newest node goes: ids stay compact and only its tenants move.
            guard let id = serving.max() else { return }
            table.drain(id)
            table.count { $0.shrinks += 1; $0.record(decision: "shrink to \(serving.count - 1): \(reason)") }
        case nil:
            break
        }
    }

    /// Stops draining nodes with nothing in flight. A draining node with a request in flight is
    /// left for a later tick, however long the request takes: never killed under it.
    private func finishDrains() {
        for node in table.nodes where node.phase == .draining && node.inFlight == 0 {
            guard let process = state.withLock({ $0.running[node.id] }) else { continue }
            process.stop()
            table.remove(node.id)
            state.withLock { _ = $0.running.removeValue(forKey: node.id) }
            log("\(node.id) (pid \(process.pid)) drained and stopped")
        }
    }

    private func startNode(_ id: NodeID) throws {
        let node = try launcher.start(id)
        state.withLock { $0.running[id] = node }
        table.add(id: id, address: node.address, pid: node.pid)
        log("\(id) (pid \(node.pid)) serving on \(node.address)")
    }
}
