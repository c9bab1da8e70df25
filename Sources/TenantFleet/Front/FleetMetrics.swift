import Glibc
import PosixSupport
import SoakUnits

/// What every fleet process adds to the shared exposition writer (`SoakUnits.PrometheusText`).
extension PrometheusText {
    /// This process's resident set in bytes (`/proc/self/statm`), or nil when it cannot be read.
    package static func residentBytes() -> Double? {
        guard let descriptor = try? FileDescriptor.open("/proc/self/statm", O_RDONLY) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = (try? buffer.withUnsafeMutableBytes { try descriptor.read(into: $0) }) ?? 0
        try? descriptor.close()
        let fields = buffer.prefix(max(count, 0)).split(separator: UInt8(ascii: " "))
        guard fields.count >= 2, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return Double(pages * sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// The front's `/metrics`: nodes, tenants per node, moves, scale events, routing-table entries
/// and its own memory.
enum FleetMetrics {
    static func render(table: NodeTable, controller: FleetController?) -> String {
        var out = PrometheusText()
        let counters = table.counters
        let nodes = table.nodes
        let (_, perNode) = table.tenantsPerNode
        for phase in FleetNode.Phase.allCases {
            out.add("tenantd_fleet_nodes", .gauge, help: "Nodes in the front's table, by phase.",
                value: Double(nodes.filter { $0.phase == phase }.count), labels: [("phase", phase.rawValue)])
        }
        for node in nodes {
            let label = [("node", "\(node.id.rawValue)")]
            out.add("tenantd_fleet_node_tenants", .gauge, help: "Tenants seen through the front that the node owns.",
                value: Double(perNode[node.id] ?? 0), labels: label)
        }
        for node in nodes {
            out.add("tenantd_fleet_node_tenants_loaded", .gauge,
                help: "Tenants the node held loaded at its last probe.",
                value: Double(node.loadedTenants), labels: [("node", "\(node.id.rawValue)")])
        }
        for node in nodes {
            out.add("tenantd_fleet_node_in_flight", .gauge,
                help: "Requests forwarded to the node and not yet answered.",
                value: Double(node.inFlight), labels: [("node", "\(node.id.rawValue)")])
        }
        out.add("tenantd_fleet_tenants_seen", .gauge, help: "Tenants answered through the front.",
            value: Double(table.tenantsSeen))
        out.add("tenantd_fleet_moves_total", .counter,
            help: "Tenants whose node changed, over every membership change.",
            value: Double(counters.moves))
        out.add("tenantd_fleet_scale_events_total", .counter, help: "Scale decisions applied, by direction.",
            value: Double(counters.grows), labels: [("direction", "grow")])
        out.add("tenantd_fleet_scale_events_total", .counter, help: "Scale decisions applied, by direction.",
            value: Double(counters.shrinks), labels: [("direction", "shrink")])
        out.add("tenantd_fleet_replacements_total", .counter, help: "Nodes that died and were started again.",
            value: Double(counters.replacements))
        out.add("tenantd_fleet_delayed_restarts_total", .counter, help: "Restarts held back by crash-loop backoff.",
            value: Double(controller?.backoff.delayedRestarts ?? 0))
        out.add("tenantd_fleet_handovers_total", .counter, help: "Registry partition hand-overs completed.",
            value: Double(counters.handovers))
        out.add("tenantd_fleet_forwarded_total", .counter, help: "Requests forwarded to nodes.",
            value: Double(counters.forwarded))
        out.add("tenantd_fleet_unavailable_total", .counter, help: "Requests answered 503 by the front.",
            value: Double(counters.unavailable))
        out.add("tenantd_fleet_routing_entries", .gauge,
            help: "Entries in the front's routing table (nodes, and departed nodes when it leaks them).",
            value: Double(table.routingEntries))
        if let controller, let load = controller.lastLoadPerNode {
            out.add("tenantd_fleet_load_per_node", .gauge, help: "The scale rule's last window mean per node.",
                value: load, labels: [("measure", controller.rule.measure.rawValue)])
        }
        if let rss = PrometheusText.residentBytes() {
            out.add("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.", value: rss)
        }
        return out.text
    }
}
