import MiniHTTP
import Synchronization
import Testing
import TenantRuntime
@testable import TenantFleet

/// Nodes that are values: started, ended and stopped by the test.
final class FakeLauncher: NodeLauncher {
    /// What each node says it holds loaded when probed; the test sets it.
    final class LoadedTenants: Sendable {
        let byNode = Mutex<[NodeID: Int]>([:])
    }

    /// What a node does when told its partitions; nil: it just agrees.
    final class OwnHook: Sendable {
        let body = Mutex<(@Sendable (Int32, [Int]) -> Bool)?>(nil)
    }

    final class Node: RunningNode {
        let id: NodeID
        let pid: Int32
        let address: SocketAddress
        let ended = Mutex(false)
        let stopped = Mutex(false)
        let loaded: LoadedTenants
        let ownHook: OwnHook
        init(id: NodeID, pid: Int32, port: UInt16, loaded: LoadedTenants, ownHook: OwnHook) {
            self.id = id
            self.pid = pid
            self.loaded = loaded
            self.ownHook = ownHook
            address = SocketAddress(networkAddress: 0x7F00_0001, port: port)
        }
        func hasEnded() -> Bool { ended.withLock { $0 } }
        func loadedTenants() -> Int? { loaded.byNode.withLock { $0[id] } }
        func own(partitions: [Int]) -> Bool { ownHook.body.withLock { $0 }?(pid, partitions) ?? true }
        func stop() {
            stopped.withLock { $0 = true }
            ended.withLock { $0 = true }
        }
        /// What a SIGKILL from outside looks like to the controller.
        func crash() { ended.withLock { $0 = true } }
    }

    let started = Mutex<[(NodeID, Node)]>([])
    let loaded = LoadedTenants()
    let ownHook = OwnHook()

    func start(_ id: NodeID) throws -> any RunningNode {
        started.withLock { started in
            let node = Node(id: id, pid: Int32(1000 + started.count), port: UInt16(20_000 + started.count),
                            loaded: loaded, ownHook: ownHook)
            started.append((id, node))
            return node
        }
    }

    /// The latest node started for `id`.
    func node(_ id: NodeID) -> Node? { started.withLock { $0.last { $0.0 == id }?.1 } }
    var startCount: Int { started.withLock { $0.count } }
}

@Suite struct FleetControllerTests {
    let clock = ManualClock()
    let launcher = FakeLauncher()

    func controller(min: Int = 1, max: Int = 4) -> FleetController {
        var rule = ScaleRule()
        rule.minNodes = min
        rule.maxNodes = max
        rule.window = .seconds(60)
        return FleetController(table: NodeTable(clock: clock), launcher: launcher, rule: rule, clock: clock)
    }

    @Test func aCrashedNodeIsReplacedUnderItsOwnIdAndItsTenantsComeBack() throws {
        let fleet = controller(min: 3)
        try fleet.startInitial(3)
        let tenants = (1...300).map { "t\($0)" }
        for tenant in tenants {
            let lease = try #require(fleet.table.lease(forTenant: tenant))
            fleet.table.release(lease, reusable: false, answeredTenant: tenant)
        }
        let owned = tenants.filter { RendezvousRouter.owner(of: $0, among: (0..<3).map { NodeID($0) }) == NodeID(1) }
        launcher.node(NodeID(1))!.crash()
        fleet.tick()
        #expect(fleet.table.servingNodes == (0..<3).map { NodeID($0) }, "replaced within the same tick")
        #expect(launcher.startCount == 4)
        #expect(fleet.table.counters.replacements == 1)
        // Its tenants waited for the replacement under the same id instead of moving.
        #expect(!owned.isEmpty)
        #expect(fleet.table.counters.moves == 0)
        #expect(fleet.table.counters.grows == 0, "a replacement is not a scale decision")
    }

    @Test func aShrinkDrainsTheNewestNodeAndStopsItOnlyOnceNothingIsInFlight() throws {
        let fleet = controller(min: 1, max: 3)
        try fleet.startInitial(2)
        fleet.tick()  // opens the first window
        // One request in flight for a whole window over two nodes: 0.5 per node, not below the rule.
        let held = try #require(fleet.table.lease(onNode: NodeID(1)))
        clock.advance(by: .seconds(60))
        fleet.tick()
        #expect(fleet.table.counters.shrinks == 0)
        // Then an idle window, with one request arriving at its very end: the fleet shrinks, and the
        // node it picks (the newest, 1) has that request in flight.
        fleet.table.release(held, reusable: false, answeredTenant: nil)
        clock.advance(by: .seconds(60))
        let inFlight = try #require(fleet.table.lease(onNode: NodeID(1)))
        fleet.tick()
        #expect(fleet.table.counters.shrinks == 1)
        #expect(fleet.table.servingNodes == [NodeID(0)])
        #expect(fleet.table.nodes.first { $0.id == NodeID(1) }?.phase == .draining)
        #expect(fleet.table.lease(onNode: NodeID(1)) == nil, "a draining node takes no new request")
        for _ in 0..<5 { fleet.tick() }
        #expect(launcher.node(NodeID(1))!.stopped.withLock { $0 } == false, "never stopped under a request")
        fleet.table.release(inFlight, reusable: false, answeredTenant: nil)
        fleet.tick()
        #expect(launcher.node(NodeID(1))!.stopped.withLock { $0 })
        #expect(fleet.table.nodes.map(\.id) == [NodeID(0)])
        #expect(fleet.table.counters.replacements == 0, "a drained node is not replaced")
    }

    @Test func sustainedLoadGrowsTheFleetOneNodePerWindowUpToTheMaximum() throws {
        let fleet = controller(min: 1, max: 3)
        try fleet.startInitial(1)
        fleet.tick()
        var leases: [NodeLease] = []
        for index in 0..<12 { leases.append(try #require(fleet.table.lease(forTenant: "t\(index)"))) }
        for _ in 0..<4 {
            clock.advance(by: .seconds(60))
            fleet.tick()
        }
        #expect(fleet.table.servingNodes.count == 3)
        #expect(fleet.table.counters.grows == 2)
        #expect(fleet.table.counters.decisions.count == 2)
        for lease in leases { fleet.table.release(lease, reusable: false, answeredTenant: nil) }
    }

    @Test func aDecisionPastTheRulesBoundsIsNotApplied() throws {
        let fleet = controller(min: 1, max: 2)
        try fleet.startInitial(1)
        fleet.apply(.shrink(reason: "stale"), serving: fleet.table.servingNodes)
        #expect(fleet.table.servingNodes == [NodeID(0)], "the last node is never drained")
        fleet.apply(.grow(reason: "fresh"), serving: fleet.table.servingNodes)
        fleet.apply(.grow(reason: "stale"), serving: fleet.table.servingNodes)
        #expect(fleet.table.servingNodes.count == 2)
        #expect(fleet.table.counters.grows == 1 && fleet.table.counters.shrinks == 0)
    }

    @Test func stopAllStopsEveryNode() throws {
        let fleet = controller(min: 2)
        try fleet.startInitial(2)
        fleet.stopAll()
        #expect(launcher.node(NodeID(0))!.stopped.withLock { $0 })
        #expect(launcher.node(NodeID(1))!.stopped.withLock { $0 })
        #expect(fleet.table.nodes.isEmpty)
    }
}
