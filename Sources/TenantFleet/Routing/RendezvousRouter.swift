import TenantRuntime

/// Which node serves a tenant: rendezvous (highest-random-weight) hashing over the live nodes.
///
/// Every (tenant, node) pair gets a pseudo-random score and the tenant goes to the node with the
/// highest. Adding a node moves only the tenants whose new score beats their old best, about
/// 1/(N+1) of them; removing one moves only that node's tenants. Unlike a hash ring it needs no
/// virtual nodes for balance and no state but the list of nodes, so any front that knows the same
/// live set routes every tenant to the same node (the seed's Solution 6, and what Solution 5's
/// several fronts would need).
package enum RendezvousRouter {
    /// The node `tenant` belongs to among `nodes`, or nil when there is none.
    package static func owner(of tenant: String, among nodes: [NodeID]) -> NodeID? {
        let tenantHash = stableHash(tenant)
        var best: (node: NodeID, score: UInt64)?
        for node in nodes {
            let score = mix(tenantHash ^ mix(UInt64(node.rawValue) &+ 0x9E37_79B9_7F4A_7C15))
            // Ties (vanishingly rare) go to the lower id, so the answer never depends on order.
            if let current = best, current.score > score || (current.score == score && current.node < node) {
                continue
            }
            best = (node, score)
        }
        return best?.node
    }

    /// How many of `tenants` each node of `nodes` owns; every node appears, with 0 if need be.
    package static func assignment(of tenants: some Sequence<String>, among nodes: [NodeID]) -> [NodeID: Int] {
        var counts = Dictionary(uniqueKeysWithValues: nodes.map { ($0, 0) })
        for tenant in tenants {
            if let node = owner(of: tenant, among: nodes) { counts[node, default: 0] += 1 }
        }
        return counts
    }

    /// How many of `tenants` change node when the live set goes from `before` to `after`.
    package static func moves(of tenants: some Sequence<String>, from before: [NodeID], to after: [NodeID]) -> Int {
        var moved = 0
        for tenant in tenants where owner(of: tenant, among: before) != owner(of: tenant, among: after) {
            moved += 1
        }
        return moved
    }

    /// The tenant's stable hash, shared with the registry's partitions (see `PartitionScheme`).
    static func stableHash(_ text: String) -> UInt64 { PartitionScheme.stableHash(text) }

    static func mix(_ value: UInt64) -> UInt64 { PartitionScheme.mix(value) }
}

/// A node's identity in the fleet: a small number, reused by the node that replaces it, so a
/// replacement takes back exactly the tenants its predecessor held.
package struct NodeID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }
    package init(_ value: Int) { self.rawValue = value }
    package static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }
    package var description: String { "node-\(rawValue)" }
}
