import Synchronization
import Testing
import TenantRuntime
@testable import TenantFleet

/// `--partitions`: the seed's Solution 7 under tenant-aware routing. Nodes are values that load
/// whatever the front sends them, and refuse (421) what they do not own, as tenantd does.
@Suite struct PartitionHandoverTests {
    let tenants = (1...1000).map { "t\($0)" }
    let scheme = PartitionScheme(count: 64)

    func tenantsPerNode(among nodes: [NodeID]) -> [NodeID: Int] {
        let owners = PartitionMap.owners(count: scheme.count, among: nodes)
        var counts: [NodeID: Int] = [:]
        for tenant in tenants { counts[owners[scheme.partition(of: tenant)], default: 0] += 1 }
        return counts
    }

    @Test func sixtyFourPartitionsKeepAThousandTenantsOverFourNodesWithinAQuarterOfTheMean() {
        let four = (0..<4).map { NodeID($0) }
        let counts = tenantsPerNode(among: four)
        let shown = counts.sorted { $0.key < $1.key }.map(\.value)
        print("partitions: 1000 tenants in 64 partitions over 4 nodes: \(shown)")
        #expect(counts.values.reduce(0, +) == 1000)
        #expect(Double(counts.values.max()!) <= 1.25 * 250, "\(counts)")
        let owners4 = PartitionMap.owners(count: 64, among: four)
        #expect(four.allSatisfy { PartitionMap.partitions(of: $0, in: owners4).count == 16 })
    }

    @Test func growingFromFourToFiveNodesMovesAtMostThirtyPercentOfTheTenants() {
        let four = PartitionMap.owners(count: 64, among: (0..<4).map { NodeID($0) })
        let five = PartitionMap.owners(count: 64, among: (0..<5).map { NodeID($0) })
        let movedPartitions = (0..<64).filter { four[$0] != five[$0] }.count
        let movedTenants = tenants.filter { four[scheme.partition(of: $0)] != five[scheme.partition(of: $0)] }.count
        print("partitions: 4 -> 5 nodes moved \(movedPartitions) of 64 partitions, \(movedTenants) of 1000 tenants")
        #expect(movedTenants <= 300)
        let back = PartitionMap.owners(count: 64, among: (0..<4).map { NodeID($0) })
        #expect(back == four, "the map depends only on the set of nodes")
    }

    /// Which node processes hold which tenants, checked on every load.
    final class World: Sendable {
        struct State {
            var owned: [Int32: Set<Int>] = [:]
            var loadedOn: [String: Set<Int32>] = [:]
            var doubleLoads: [String] = []
            /// Partitions a node was given while another live node still owned them.
            var doubleOwned: [Int] = []
            var refusals = 0
            var loads = 0
        }
        let state = Mutex(State())
        let scheme: PartitionScheme
        init(scheme: PartitionScheme) { self.scheme = scheme }

        /// The node `pid` owns exactly `partitions`, unloading what it gave up.
        func own(_ pid: Int32, _ partitions: [Int]) {
            state.withLock { state in
                for partition in partitions
                where state.owned.contains(where: { $0.key != pid && $0.value.contains(partition) }) {
                    state.doubleOwned.append(partition)
                }
                state.owned[pid] = Set(partitions)
                for (tenant, pids) in state.loadedOn where pids.contains(pid)
                    && !partitions.contains(scheme.partition(of: tenant)) {
                    state.loadedOn[tenant]?.remove(pid)
                }
            }
        }

        /// The process `pid` ended: it holds nothing any more.
        func end(_ pid: Int32) {
            state.withLock { state in
                state.owned[pid] = nil
                for tenant in state.loadedOn.keys { state.loadedOn[tenant]?.remove(pid) }
            }
        }

        func load(_ tenant: String, on pid: Int32) {
            state.withLock { state in
                guard state.owned[pid]?.contains(scheme.partition(of: tenant)) == true else {
                    state.refusals += 1
                    return
                }
                state.loads += 1
                state.loadedOn[tenant, default: []].insert(pid)
                if state.loadedOn[tenant]!.count > 1 { state.doubleLoads.append(tenant) }
            }
        }
    }

    /// Every tenant asked for once through the table, as concurrent clients would.
    static func traffic(_ tenants: [String], table: NodeTable, world: World) {
        let pids = Dictionary(uniqueKeysWithValues: table.nodes.map { ($0.id, $0.pid) })
        for tenant in tenants {
            guard case .node(let lease) = table.route(forTenant: tenant) else { continue }
            if let pid = pids[lease.node] { world.load(tenant, on: pid) }
            table.release(lease, reusable: false, answeredTenant: tenant)
        }
    }

    @Test func noTenantIsLoadedOnTwoNodesAtOnceWhileTheFleetGrowsShrinksAndLosesANode() throws {
        let clock = ManualClock()
        let launcher = FakeLauncher()
        let world = World(scheme: PartitionScheme(count: 16))
        let table = NodeTable(clock: clock, partitions: PartitionScheme(count: 16))
        let some = Array(tenants.prefix(200))
        // Traffic in the middle of every hand-over step, where a wrong order would show.
        launcher.ownHook.body.withLock {
            $0 = { pid, partitions in
                world.own(pid, partitions)
                Self.traffic(some, table: table, world: world)
                return true
            }
        }
        var rule = ScaleRule()
        rule.measure = .tenants
        rule.minNodes = 1
        rule.maxNodes = 5
        rule.upAbove = 10
        rule.downBelow = 2
        let fleet = FleetController(table: table, launcher: launcher, rule: rule, clock: clock,
                                    wallClock: ManualClock())
        try fleet.startInitial(1)
        func window(load: Int) {
            launcher.loaded.byNode.withLock { map in for id in table.servingNodes { map[id] = load } }
            clock.advance(by: rule.window)
            fleet.tick()
            Self.traffic(some, table: table, world: world)
        }
        for _ in 0..<6 { window(load: 50) }
        #expect(table.servingNodes.count == 5)
        // A node dies holding its tenants; its replacement takes its partitions back.
        let victim = launcher.node(NodeID(2))!
        victim.crash()
        world.end(victim.pid)
        window(load: 50)
        #expect(table.servingNodes.count == 5)
        for _ in 0..<6 {
            window(load: 0)
            for (_, node) in launcher.started.withLock({ $0 }) where node.stopped.withLock({ $0 }) {
                world.end(node.pid)
            }
        }
        #expect(table.servingNodes == [NodeID(0)])
        let state = world.state.withLock { $0 }
        #expect(state.doubleLoads.isEmpty, "loaded on two nodes at once: \(state.doubleLoads.prefix(5))")
        #expect(state.doubleOwned.isEmpty, "given to a node before its old owner let go: \(state.doubleOwned)")
        #expect(state.refusals == 0, "the front sent a tenant to a node that did not own it")
        #expect(state.loads > 1000)
        #expect(table.counters.handovers == 1 + 4 + 4, "one per start, grow and shrink; none for the crash")
        #expect(table.partitionOwners == Array(repeating: NodeID(0), count: 16))
        print("partitions: \(table.counters.handovers) hand-overs, \(table.counters.moves) tenant moves, "
              + "\(state.loads) loads, no tenant on two nodes")
    }

    @Test func aNodeThatCannotConfirmItsReleaseIsStoppedBeforeItsPartitionsGoElsewhere() throws {
        let clock = ManualClock()
        let launcher = FakeLauncher()
        let table = NodeTable(clock: clock, partitions: PartitionScheme(count: 8))
        var rule = ScaleRule()
        rule.minNodes = 1
        rule.maxNodes = 2
        rule.measure = .tenants
        rule.upAbove = 10
        rule.downBelow = 2
        let fleet = FleetController(table: table, launcher: launcher, rule: rule, clock: clock,
                                    wallClock: ManualClock())
        try fleet.startInitial(2)
        launcher.ownHook.body.withLock { $0 = { _, partitions in partitions.count == 8 } }  // node 1 will not let go
        launcher.loaded.byNode.withLock { $0 = [NodeID(0): 0, NodeID(1): 0] }
        fleet.tick()
        clock.advance(by: rule.window)
        fleet.tick()
        #expect(table.counters.shrinks == 1)
        #expect(table.counters.fenced == 1)
        #expect(launcher.node(NodeID(1))!.stopped.withLock { $0 }, "stopped before node 0 took its partitions")
        #expect(table.partitionOwners == Array(repeating: NodeID(0), count: 8))
    }
}
