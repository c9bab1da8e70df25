import MiniHTTP
import SoakUnits
import Testing
import TenantRuntime
@testable import TenantFleet

/// `/metrics`: Prometheus's text format, one family per metric, labels per node.
@Suite struct FleetMetricsTests {
    @Test func theFrontExposesNodesTenantsMovesScaleEventsRoutingEntriesAndItsOwnMemory() throws {
        let clock = ManualClock()
        let launcher = FakeLauncher()
        let fleet = FleetController(table: NodeTable(clock: clock), launcher: launcher, rule: ScaleRule(), clock: clock)
        try fleet.startInitial(2)
        launcher.loaded.byNode.withLock { $0 = [NodeID(0): 7, NodeID(1): 3] }
        fleet.tick()
        for index in 1...10 {
            let lease = try #require(fleet.table.lease(forTenant: "t\(index)"))
            fleet.table.release(lease, reusable: false, answeredTenant: "t\(index)")
        }
        let response = FleetFront(controller: fleet).respond(to: HTTPRequest(target: "/metrics"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == PrometheusText.contentType)
        let text = String(decoding: response.body, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("tenantd_fleet_nodes{phase=\"serving\"} 2"))
        #expect(lines.contains("tenantd_fleet_node_tenants_loaded{node=\"0\"} 7"))
        #expect(lines.contains("tenantd_fleet_tenants_seen 10"))
        #expect(lines.contains("tenantd_fleet_routing_entries 2"))
        #expect(lines.contains("tenantd_fleet_scale_events_total{direction=\"grow\"} 0"))
        #expect(lines.contains { $0.hasPrefix("process_resident_memory_bytes ") })
        let perNode = lines.filter { $0.hasPrefix("tenantd_fleet_node_tenants{") }
        #expect(perNode.count == 2)
        #expect(perNode.compactMap { Int($0.split(separator: " ").last!) }.reduce(0, +) == 10)
        // Each family is described once, before its samples.
        #expect(lines.filter { $0 == "# TYPE tenantd_fleet_scale_events_total counter" }.count == 1)
        #expect(text.hasSuffix("\n"))
    }

    @Test func labelValuesAndNumbersAreWrittenAsTheFormatSays() {
        var out = PrometheusText()
        out.add("m", .gauge, help: "help", value: 1.5, labels: [("k", "a\"b\\c\nd")])
        out.add("m", .gauge, help: "help", value: 3)
        #expect(out.text == "# HELP m help\n# TYPE m gauge\nm{k=\"a\\\"b\\\\c\\nd\"} 1.5\nm 3\n")
        #expect(PrometheusText.format(.infinity) == "+Inf")
    }
}
