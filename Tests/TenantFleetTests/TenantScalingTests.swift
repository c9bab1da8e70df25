import Testing
import TenantRuntime
@testable import TenantFleet

/// `--scale-on tenants`: the fleet follows a moving active set of tenants, on a manual clock with
/// nodes that report what the test says they hold.
@Suite struct TenantScalingTests {
    let clock = ManualClock()
    let launcher = FakeLauncher()

    func controller() -> FleetController {
        var rule = ScaleRule()
        rule.measure = .tenants
        rule.minNodes = 1
        rule.maxNodes = 5
        rule.window = .seconds(120)
        rule.upAbove = 40
        rule.downBelow = 15
        return FleetController(table: NodeTable(clock: clock), launcher: launcher, rule: rule, clock: clock)
    }

    /// The seed's tenant scenario on a fleet: 2,000 tenants, an active set that rises from none
    /// to 200 and falls back every simulated hour, and moves to other tenants every hour. Each
    /// node reports the active tenants rendezvous routing gives it (a tenant idle for 1m is
    /// unloaded, shorter than a probe's step here, so loaded means active).
    @Test func aMovingActiveSetScalesTheFleetHundredsOfTimesOverFiveSimulatedDays() throws {
        let fleet = controller()
        try fleet.startInitial(1)
        let tenants = (1...2000).map { "t\($0)" }
        let step = Duration.seconds(30)
        var peakPerNode = 0.0
        var elapsed = Duration.zero
        while elapsed < .seconds(5 * 86_400) {
            let hour = Int(elapsed.secondsValue) / 3600
            let phase = elapsed.secondsValue.truncatingRemainder(dividingBy: 3600) / 3600
            let activeCount = Int((200 * (1 - abs(2 * phase - 1))).rounded())
            let offset = (hour * 317) % tenants.count
            let active = (0..<activeCount).map { tenants[(offset + $0) % tenants.count] }
            let serving = fleet.table.servingNodes
            let perNode = RendezvousRouter.assignment(of: active, among: serving)
            launcher.loaded.byNode.withLock { $0 = perNode }
            fleet.tick()
            if let load = fleet.lastLoadPerNode { peakPerNode = max(peakPerNode, load) }
            clock.advance(by: step)
            elapsed += step
        }
        let counters = fleet.table.counters
        print("tenant scaling: 5 simulated days: \(counters.grows) grows, \(counters.shrinks) shrinks, "
              + "peak window mean \(peakPerNode) loaded tenants per node")
        #expect(counters.grows + counters.shrinks >= 500, "hundreds of scale events: \(counters)")
        #expect(abs(counters.grows - counters.shrinks) <= 4, "the fleet comes back down each hour")
        // A window's mean per node never runs far past the rule: the fleet keeps up with the rise.
        #expect(peakPerNode < 2 * 40)
        #expect(fleet.table.servingNodes.count <= 5)
    }

    @Test func anUnansweredProbeKeepsTheNodesLastFigure() throws {
        let fleet = controller()
        try fleet.startInitial(1)
        launcher.loaded.byNode.withLock { $0 = [NodeID(0): 70] }
        fleet.tick()
        launcher.loaded.byNode.withLock { $0 = [:] }  // the node stops answering
        clock.advance(by: .seconds(120))
        fleet.tick()
        #expect(fleet.lastLoadPerNode == 70)
        #expect(fleet.table.counters.grows == 1, "70 loaded tenants on one node is above 40")
        #expect(fleet.table.nodes.first { $0.id == NodeID(0) }?.peakLoadedTenants == 70)
    }

    @Test func theStatsProbeReadsTenantsLoadedFromTheRuntimesJSON() {
        let body = Array(#"{"heap_in_use_bytes":123,"tenants_loaded": 42,"artifacts_actual":1}"#.utf8)
        #expect(RuntimeStatsProbe.integer("tenants_loaded", in: body) == 42)
        #expect(RuntimeStatsProbe.integer("artifacts_actual", in: body) == 1)
        #expect(RuntimeStatsProbe.integer("missing", in: body) == nil)
        #expect(RuntimeStatsProbe.integer("tenants_loaded", in: Array(#"{"tenants_loaded":null}"#.utf8)) == nil)
    }
}
