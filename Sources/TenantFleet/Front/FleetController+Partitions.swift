import TenantRuntime

/// The controller under `--partitions`: hand-overs of registry partitions between nodes.
extension FleetController {
    /// Under `--partitions`, gives the partitions to their owners among `nodes`: the old owners
    /// first keep only what they keep (unloading the rest, waiting for its requests in flight),
    /// then the new owners take theirs, and only then does the front route by the new map.
    /// Requests for moving partitions wait meanwhile. A node that cannot confirm its part is
    /// stopped (fenced) before anyone else may read what it held; it is replaced like a crash.
    func handOver(to nodes: [NodeID]) {
        guard let scheme = table.partitions else { return }
        let before = table.partitionOwners
        let after = PartitionMap.owners(count: scheme.count, among: nodes)
        let moving = Set((0..<scheme.count).filter { before.isEmpty || before[$0] != after[$0] })
        let running = state.withLock { $0.running }
        table.beginHandover(moving)
        let losing = Set(before.isEmpty ? [] : moving.map { before[$0] })
        for id in losing.sorted() {
            guard let process = running[id] else { continue }  // down: it holds nothing
            let kept = Set(PartitionMap.partitions(of: id, in: before))
                .intersection(PartitionMap.partitions(of: id, in: after))
            if !process.own(partitions: kept.sorted()) { fence(id, process, why: "did not confirm its release") }
        }
        for id in Set(moving.map { after[$0] }).sorted() {
            guard let process = running[id] else { continue }  // down: its replacement takes them at start
            if !process.own(partitions: PartitionMap.partitions(of: id, in: after)) {
                fence(id, process, why: "did not take its partitions")
            }
        }
        table.finishHandover(to: after)
        if !before.isEmpty { log("handed over \(moving.count) of \(scheme.count) partitions among \(nodes)") }
    }

    /// Stops a node that cannot be trusted to have let go of its partitions; the reaper finds it
    /// ended on the next tick and replaces it (or, if it was draining, removes it).
    func fence(_ id: NodeID, _ process: any RunningNode, why: String) {
        log("\(id) (pid \(process.pid)) \(why); stopping it before its partitions go elsewhere")
        process.stop()
        table.count { $0.fenced += 1 }
    }
}
