import MiniHTTP
import TenantRuntime

/// The routing metadata a front shares with the other fronts (the seed's Solution 5: "multiple
/// LBs that have same metadata"): the nodes with their phases, and under `--partitions` the
/// owner of each partition and those moving. A follower front pulls it from the front that owns
/// the nodes and routes with the same functions, so any front sends a tenant to the same node.
///
///     node ID GENERATION PHASE ADDRESS PID RETRY_AFTER
///     owners N0 N1 …        (partition → node id; absent without --partitions)
///     moving P1 P2 …
package struct FleetMembership: Sendable, Equatable {
    package struct Node: Sendable, Equatable {
        package var id: NodeID
        package var generation: Int
        package var phase: FleetNode.Phase
        package var address: SocketAddress
        package var pid: Int32
        package var retryAfterSeconds: Int
    }

    package var nodes: [Node] = []
    package var owners: [NodeID] = []
    package var moving: Set<Int> = []

    package init() {}

    package var text: String {
        var lines = nodes.map {
            "node \($0.id.rawValue) \($0.generation) \($0.phase.rawValue) \($0.address) \($0.pid) "
                + "\($0.retryAfterSeconds)"
        }
        if !owners.isEmpty { lines.append("owners " + owners.map { "\($0.rawValue)" }.joined(separator: " ")) }
        if !moving.isEmpty { lines.append("moving " + moving.sorted().map(String.init).joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses `text`; nil when any line is malformed (a follower then keeps what it had).
    package init?(parsing text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            switch fields.first {
            case "node":
                guard fields.count == 7, let id = Int(fields[1]), let generation = Int(fields[2]),
                    let phase = FleetNode.Phase(rawValue: String(fields[3])),
                    let address = try? SocketAddress(parsing: String(fields[4])), let pid = Int32(fields[5]),
                    let retry = Int(fields[6])
                else { return nil }
                nodes.append(Node(id: NodeID(id), generation: generation, phase: phase, address: address, pid: pid,
                                  retryAfterSeconds: retry))
            case "owners":
                let ids = fields.dropFirst().compactMap { Int($0) }
                guard ids.count == fields.count - 1 else { return nil }
                owners = ids.map { NodeID($0) }
            case "moving":
                moving = Set(fields.dropFirst().compactMap { Int($0) })
            default:
                return nil
            }
        }
    }
}

extension NodeTable {
    /// The table's routing metadata, for the other fronts.
    package var membership: FleetMembership {
        state.withLock { state in
            var membership = FleetMembership()
            membership.nodes = state.nodes.values.sorted { $0.id < $1.id }.map {
                .init(id: $0.id, generation: $0.generation, phase: $0.phase, address: $0.address, pid: $0.pid,
                      retryAfterSeconds: $0.retryAfterSeconds)
            }
            membership.owners = state.owners
            membership.moving = state.moving
            return membership
        }
    }

    /// Makes this (follower) table route as `membership` says. A node whose generation and
    /// address are unchanged keeps its counters and idle connections; any other is replaced.
    package func adopt(_ membership: FleetMembership) {
        let closing: [HTTPClient] = state.withLock { state in
            var closing: [HTTPClient] = []
            var next: [NodeID: FleetNode] = [:]
            let now = clock.now
            for shared in membership.nodes {
                if var node = state.nodes[shared.id], node.generation == shared.generation,
                    node.address == shared.address {
                    node.phase = shared.phase
                    node.retryAfterSeconds = shared.retryAfterSeconds
                    if shared.phase == .down { closing += node.idleClients; node.idleClients = [] }
                    next[shared.id] = node
                } else {
                    if let old = state.nodes[shared.id] { closing += old.idleClients }
                    var node = FleetNode(id: shared.id, generation: shared.generation, address: shared.address,
                                         pid: shared.pid, startedAt: now)
                    node.phase = shared.phase
                    node.retryAfterSeconds = shared.retryAfterSeconds
                    next[shared.id] = node
                }
            }
            for (id, node) in state.nodes where next[id] == nil { closing += node.idleClients }
            Self.accumulateBusy(&state, at: now)
            state.nodes = next
            state.owners = membership.owners
            state.moving = membership.moving
            return closing
        }
        for client in closing { client.close() }
    }
}
