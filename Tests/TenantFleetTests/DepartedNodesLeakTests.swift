import Testing
import TenantRuntime
@testable import TenantFleet

/// `--inject-leak departed-nodes`: the front's routing table keeps what it should drop.
@Suite struct DepartedNodesLeakTests {
    let clock = ManualClock()
    let launcher = FakeLauncher()

    func cycle(keeping: Bool, scaleEvents: Int) throws -> NodeTable {
        var rule = ScaleRule()
        rule.minNodes = 1
        rule.maxNodes = 2
        rule.window = .seconds(60)
        rule.measure = .tenants
        rule.upAbove = 10
        rule.downBelow = 2
        let table = NodeTable(clock: clock, keepsDepartedNodes: keeping)
        let fleet = FleetController(table: table, launcher: launcher, rule: rule, clock: clock)
        try fleet.startInitial(1)
        fleet.tick()
        for event in 0..<scaleEvents {
            // Busy, then idle, window after window: grow, shrink, grow, ... Each window is judged on
            // the figure probed at its start, so the first decision comes one window late.
            let load = event.isMultiple(of: 2) ? 50 : 0
            launcher.loaded.byNode.withLock { map in for id in table.servingNodes { map[id] = load } }
            clock.advance(by: .seconds(60))
            fleet.tick()
        }
        return table
    }

    @Test func aCleanFrontDropsEveryDepartedNode() throws {
        let table = try cycle(keeping: false, scaleEvents: 41)
        #expect(table.counters.shrinks == 20)
        #expect(table.routingEntries == 1)
        #expect(table.historyBytes == NodeHistory.capacity * MemoryLayout<NodeHistory.Sample>.stride)
    }

    @Test func theLeakingFrontKeepsEveryDepartedNodeWithItsHistory() throws {
        let table = try cycle(keeping: true, scaleEvents: 41)
        #expect(table.counters.shrinks == 20)
        #expect(table.routingEntries == 21, "one serving node and the 20 that left")
        #expect(table.historyBytes >= 21 * 8 * 1024, "about 8 KiB per entry: \(table.historyBytes)")
        // Routing is unchanged by the leak: the departed entries are never routed to.
        #expect(table.servingNodes == [NodeID(0)])
    }
}
