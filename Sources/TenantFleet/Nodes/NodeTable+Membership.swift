import MiniHTTP
import TenantRuntime

/// Counters the fleet keeps for `/_fleet/stats`.
package struct FleetCounters: Sendable, Equatable {
    /// Tenants whose node changed, summed over every change of the serving set.
    package var moves = 0
    package var grows = 0
    package var shrinks = 0
    /// Nodes that ended on their own or were killed, and were started again.
    package var replacements = 0
    package var forwarded = 0
    /// Requests answered 503 because their node failed under them or none served.
    package var unavailable = 0
    /// The last decisions, newest last, at most ``FleetCounters/decisionsKept``.
    package var decisions: [String] = []
    /// Partition hand-overs completed (each a release by the old owners, then an acquire).
    package var handovers = 0
    /// Nodes killed because they could not confirm a release in time (fenced, so that no other
    /// node reads their partitions while they might).
    package var fenced = 0
    /// Wall milliseconds from noticing a crashed node to its replacement serving, last one.
    package var lastReplacementMillis: Double?

    package static let decisionsKept = 32

    mutating func record(decision: String) {
        decisions.append(decision)
        if decisions.count > Self.decisionsKept { decisions.removeFirst(decisions.count - Self.decisionsKept) }
    }
}

extension NodeTable {
    /// Adds a node that is ready to serve; counts the tenants that move to it.
    package func add(id: NodeID, address: SocketAddress, pid: Int32) {
        let now = clock.now
        state.withLock { state in
            let before = Self.routable(state)
            let generation = state.generations[id, default: 0]
            state.generations[id] = generation + 1
            if let replaced = state.nodes[id] { Self.depart(replaced, in: &state, keeping: keepsDepartedNodes) }
            state.nodes[id] = FleetNode(id: id, generation: generation, address: address, pid: pid, startedAt: now)
            state.counters.moves += Self.moves(state, from: before, to: Self.routable(state),
                                               partitioned: partitions != nil)
        }
    }

    /// Stops routing to node `id`; its requests in flight finish. Its tenants move now.
    package func drain(_ id: NodeID) {
        state.withLock { state in
            guard state.nodes[id]?.phase == .serving else { return }
            let before = Self.routable(state)
            state.nodes[id]?.phase = .draining
            state.counters.moves += Self.moves(state, from: before, to: Self.routable(state),
                                               partitioned: partitions != nil)
        }
    }

    /// Marks node `id` as dead and awaiting a replacement due in about `retryAfterSeconds`. It keeps
    /// its tenants (no move), its requests in flight fail on their own, its idle connections close.
    /// Called again while it waits, to bring the `Retry-After` it gives up to date.
    package func markDown(_ id: NodeID, retryAfterSeconds: Int) {
        let clients: [HTTPClient] = state.withLock { state in
            guard var node = state.nodes[id], node.phase != .draining else { return [] }
            node.phase = .down
            node.retryAfterSeconds = max(1, retryAfterSeconds)
            let clients = node.idleClients
            node.idleClients = []
            state.nodes[id] = node
            return clients
        }
        for client in clients { client.close() }
    }

    /// Removes node `id` and closes its idle connections. Leases still out on it are dropped
    /// when given back (their generation no longer matches).
    package func remove(_ id: NodeID) {
        let now = clock.now
        let clients: [HTTPClient] = state.withLock { state in
            guard let node = state.nodes[id] else { return [] }
            Self.accumulateBusy(&state, at: now)
            let before = Self.routable(state)
            state.nodes[id] = nil
            state.counters.moves += Self.moves(state, from: before, to: Self.routable(state),
                                               partitioned: partitions != nil)
            Self.depart(node, in: &state, keeping: keepsDepartedNodes)
            return node.idleClients
        }
        for client in clients { client.close() }
    }

    /// An entry leaving the table: dropped, or kept under `--inject-leak departed-nodes`.
    static func depart(_ node: FleetNode, in state: inout State, keeping: Bool) {
        guard keeping else { return }
        var kept = node
        kept.idleClients = []  // the leak is the entry's memory, not its sockets
        state.departed.append(kept)
    }

    /// Requests in flight on node `id` (0 when it is gone).
    package func inFlight(on id: NodeID) -> Int { state.withLock { $0.nodes[id]?.inFlight ?? 0 } }

    /// Changes the counters under the table's lock.
    package func count(_ change: (inout FleetCounters) -> Void) { state.withLock { change(&$0.counters) } }

    /// A copy of the counters.
    package var counters: FleetCounters { state.withLock { $0.counters } }

    /// The tenants seen, and how many of them each serving or down node owns.
    package var tenantsPerNode: (tenants: Int, perNode: [NodeID: Int]) {
        state.withLock { state in
            guard let partitions else {
                let perNode = RendezvousRouter.assignment(of: state.tenants, among: Self.routable(state))
                return (state.tenants.count, perNode)
            }
            var perNode = Dictionary(uniqueKeysWithValues: Self.routable(state).map { ($0, 0) })
            if !state.owners.isEmpty {
                for tenant in state.tenants { perNode[state.owners[partitions.partition(of: tenant)], default: 0] += 1 }
            }
            return (state.tenants.count, perNode)
        }
    }
}

extension NodeTable {
    /// Entries the routing table holds: its nodes, and under `--inject-leak departed-nodes` every
    /// node that ever left.
    package var routingEntries: Int { state.withLock { $0.nodes.count + $0.departed.count } }

    /// Bytes of node history the table holds, departed entries included.
    package var historyBytes: Int {
        state.withLock { state in
            state.nodes.values.reduce(0) { $0 + $1.history.bytes } + state.departed.reduce(0) { $0 + $1.history.bytes }
        }
    }

    /// Whether node `id` is in the table at all.
    package func isServingOrDraining(_ id: NodeID) -> Bool { state.withLock { $0.nodes[id] != nil } }
}

extension NodeTable {
    /// How many tenants have been answered through the front.
    package var tenantsSeen: Int { state.withLock { $0.tenants.count } }

    /// Each partition's owner now (empty before the first hand-over or without `--partitions`).
    package var partitionOwners: [NodeID] { state.withLock { $0.owners } }

    /// Holds requests for `moving` partitions until ``finishHandover(to:)``: neither their old
    /// owner (releasing them) nor their new one (not yet given them) may serve them meanwhile.
    package func beginHandover(_ moving: Set<Int>) {
        state.withLock { $0.moving = moving }
    }

    /// Routes by `owners` from now on and lets the held requests go; counts the tenants moved.
    package func finishHandover(to owners: [NodeID]) {
        guard let partitions else { return }
        state.withLock { state in
            if !state.owners.isEmpty {
                let before = state.owners
                state.counters.moves += state.tenants.reduce(0) { moved, tenant in
                    let partition = partitions.partition(of: tenant)
                    return moved + (before[partition] == owners[partition] ? 0 : 1)
                }
            }
            state.owners = owners
            state.moving = []
            state.counters.handovers += 1
        }
    }
}
