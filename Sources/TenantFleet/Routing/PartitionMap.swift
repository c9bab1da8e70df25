import TenantRuntime

/// Which node owns each registry partition (the seed's Solution 7, under Solution 6's routing):
/// rendezvous hashing with bounded loads, so the answer depends only on the set of nodes (any
/// front computes the same), every node owns ⌈P/N⌉ partitions or one fewer, and a change of the
/// set moves few partitions.
///
/// Partitions are placed in order 0..<P, each with its highest-scoring node that still has room.
/// Plain rendezvous over 64 partitions would give some node 40% above the mean; the bound keeps
/// tenants per node within the seed's 25% while a node joining or leaving still moves about 1/N.
package enum PartitionMap {
    /// The owner of each partition 0..<count among `nodes` (empty when there are none).
    package static func owners(count: Int, among nodes: [NodeID]) -> [NodeID] {
        guard !nodes.isEmpty else { return [] }
        let sorted = nodes.sorted()
        let capacity = (count + sorted.count - 1) / sorted.count
        var load = Dictionary(uniqueKeysWithValues: sorted.map { ($0, 0) })
        var owners: [NodeID] = []
        owners.reserveCapacity(count)
        for partition in 0..<count {
            let key = RendezvousRouter.stableHash("partition-\(partition)")
            let ranked = sorted.sorted { score(key, $0) > score(key, $1) }
            let owner = ranked.first { load[$0]! < capacity }!
            load[owner]! += 1
            owners.append(owner)
        }
        return owners
    }

    /// The partitions `node` owns in `owners`.
    package static func partitions(of node: NodeID, in owners: [NodeID]) -> [Int] {
        owners.indices.filter { owners[$0] == node }
    }

    private static func score(_ key: UInt64, _ node: NodeID) -> UInt64 {
        RendezvousRouter.mix(key ^ RendezvousRouter.mix(UInt64(node.rawValue) &+ 0x9E37_79B9_7F4A_7C15))
    }
}
