import MiniHTTP
import Synchronization
import TenantRuntime

/// The front's shared picture of the fleet: the nodes, their in-flight requests, the tenants seen,
/// and the counters `/_fleet/stats` shows. Handler threads take and give back leases; the
/// controller thread changes membership. One mutex, short critical sections, no I/O under it.
package final class NodeTable: Sendable {
    struct State {
        var nodes: [NodeID: FleetNode] = [:]
        /// Tenants answered 2xx through the front: bounded by the registry, not by traffic, since
        /// an unknown tenant gets 404 and is never recorded here.
        var tenants: Set<String> = []
        /// ∫ in-flight requests d(simulated time), in node-seconds: the autoscaler's input when it
        /// scales on requests.
        var busyNodeSeconds = 0.0
        /// ∫ loaded tenants over serving nodes d(simulated time), each node's figure held from one
        /// probe to the next: its input when it scales on tenants.
        var loadedTenantSeconds = 0.0
        var busySince: SimulatedTime
        /// Entries of nodes that left, kept only under `--inject-leak departed-nodes`.
        var departed: [FleetNode] = []
        /// Under `--partitions`: each partition's owner (empty until the first hand-over), and the
        /// partitions being handed over now, whose requests wait.
        var owners: [NodeID] = []
        var moving: Set<Int> = []
        var generations: [NodeID: Int] = [:]
        var counters = FleetCounters()
    }

    let clock: any RuntimeClock
    let clientConfiguration: HTTPClient.Configuration
    /// `--inject-leak departed-nodes`: a node's entry stays in the table after the node is gone.
    let keepsDepartedNodes: Bool
    /// `--partitions P`: tenants are routed by their partition's owner, not one by one.
    package let partitions: PartitionScheme?
    let state: Mutex<State>

    package init(
        clock: any RuntimeClock, clientConfiguration: HTTPClient.Configuration = .init(),
        keepsDepartedNodes: Bool = false, partitions: PartitionScheme? = nil
    ) {
        self.clock = clock
        self.clientConfiguration = clientConfiguration
        self.keepsDepartedNodes = keepsDepartedNodes
        self.partitions = partitions
        state = Mutex(State(busySince: clock.now))
    }

    /// Where a request for `tenant` goes: a lease on its node, its node's restart when that node is
    /// down, or nowhere when no node serves.
    package func route(forTenant tenant: String) -> Route {
        let now = clock.now
        let partition = partitions?.partition(of: tenant)
        return state.withLock { state in
            let owner: NodeID?
            if let partition {
                if state.moving.contains(partition) { return .moving }
                owner = state.owners.isEmpty ? nil : state.owners[partition]
            } else {
                owner = RendezvousRouter.owner(of: tenant, among: Self.routable(state))
            }
            guard let owner, let node = state.nodes[owner] else { return .none }
            if node.phase == .down { return .down(owner, retryAfterSeconds: node.retryAfterSeconds) }
            return Self.take(owner, in: &state, at: now, configuration: clientConfiguration).map(Route.node) ?? .none
        }
    }

    /// A lease on the node that owns `tenant`, or nil when that node does not serve now.
    package func lease(forTenant tenant: String) -> NodeLease? {
        if case .node(let lease) = route(forTenant: tenant) { return lease }
        return nil
    }

    /// A lease on node `id` itself (for `/_fleet/node/K/...`), or nil when it does not serve.
    package func lease(onNode id: NodeID) -> NodeLease? {
        let now = clock.now
        return state.withLock { state in
            guard state.nodes[id]?.phase == .serving else { return nil }
            return Self.take(id, in: &state, at: now, configuration: clientConfiguration)
        }
    }

    /// Gives a lease back. `reusable`: the connection answered and may carry the next request.
    /// `tenant`: the tenant the node answered 2xx for, to remember for moves and stats.
    package func release(_ lease: NodeLease, reusable: Bool, answeredTenant tenant: String?) {
        let now = clock.now
        let discard: HTTPClient? = state.withLock { state in
            Self.accumulateBusy(&state, at: now)
            if let tenant { state.tenants.insert(tenant) }
            guard var node = state.nodes[lease.node], node.generation == lease.generation else { return lease.client }
            node.inFlight -= 1
            if reusable { node.idleClients.append(lease.client) }
            state.nodes[lease.node] = node
            return reusable ? nil : lease.client
        }
        discard?.close()
    }

    /// The busy node-time so far, brought up to now.
    package var busyNodeSeconds: Double { loadSeconds(of: .inFlight) }

    /// The integral of `measure` over simulated time so far, brought up to now.
    package func loadSeconds(of measure: ScaleRule.Measure) -> Double {
        let now = clock.now
        return state.withLock { state in
            Self.accumulateBusy(&state, at: now)
            return measure == .inFlight ? state.busyNodeSeconds : state.loadedTenantSeconds
        }
    }

    /// Records what a probe of node `id` found: `loadedTenants` holds from now to the next probe.
    package func record(loadedTenants: Int, on id: NodeID) {
        let now = clock.now
        state.withLock { state in
            Self.accumulateBusy(&state, at: now)
            guard var node = state.nodes[id] else { return }
            node.loadedTenants = loadedTenants
            node.history.append(.init(simulatedSeconds: now.seconds, loadedTenants: loadedTenants,
                                      inFlight: node.inFlight, requests: node.requests))
            state.nodes[id] = node
        }
    }

    /// The tenants whose owner differs between two sets of nodes (rendezvous) or two partition
    /// maps: what a change of membership moves.
    static func moves(_ state: State, from before: [NodeID], to after: [NodeID], partitioned: Bool) -> Int {
        partitioned ? 0 : RendezvousRouter.moves(of: state.tenants, from: before, to: after)
    }

    /// Nodes tenants are assigned over (serving, or down awaiting a replacement), by id.
    package var routableNodes: [NodeID] { state.withLock { Self.routable($0) } }

    /// Nodes taking new requests, by id.
    package var servingNodes: [NodeID] { state.withLock { Self.serving($0) } }

    /// Every node in the table, serving or draining.
    package var nodes: [FleetNode] { state.withLock { $0.nodes.values.sorted { $0.id < $1.id } } }

    static func serving(_ state: State) -> [NodeID] {
        state.nodes.values.filter { $0.phase == .serving }.map(\.id).sorted()
    }

    /// The nodes tenants are assigned over: serving ones and those down awaiting a replacement
    /// (whose tenants wait for it rather than move). Draining nodes have given theirs away.
    static func routable(_ state: State) -> [NodeID] {
        state.nodes.values.filter { $0.phase != .draining }.map(\.id).sorted()
    }

    private static func take(
        _ id: NodeID, in state: inout State, at now: SimulatedTime, configuration: HTTPClient.Configuration
    ) -> NodeLease? {
        guard var node = state.nodes[id] else { return nil }
        accumulateBusy(&state, at: now)
        node.inFlight += 1
        node.requests += 1
        let client = node.idleClients.popLast() ?? HTTPClient(address: node.address, configuration: configuration)
        state.nodes[id] = node
        state.counters.forwarded += 1
        return NodeLease(node: id, generation: node.generation, client: client)
    }

    static func accumulateBusy(_ state: inout State, at now: SimulatedTime) {
        if now > state.busySince {
            let elapsed = (now - state.busySince).secondsValue
            var inFlight = 0, loaded = 0
            for node in state.nodes.values {
                inFlight += node.inFlight
                if node.phase == .serving { loaded += node.loadedTenants }
            }
            state.busyNodeSeconds += Double(inFlight) * elapsed
            state.loadedTenantSeconds += Double(loaded) * elapsed
        }
        state.busySince = max(state.busySince, now)
    }
}
