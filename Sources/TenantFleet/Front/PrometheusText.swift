import Glibc
import PosixSupport

/// Prometheus's text exposition format (version 0.0.4), written by hand: what every fleet
/// process serves on `/metrics`, so an operator's Prometheus can scrape a fleet that spans
/// machines without a collector of ours.
package struct PrometheusText {
    private var lines: [String] = []
    private var described: Set<String> = []

    package init() {}

    /// Adds one sample of metric `name`, with its `# HELP` and `# TYPE` the first time.
    package mutating func add(
        _ name: String, _ type: String, _ help: String, _ value: Double, labels: [(String, String)] = []
    ) {
        if described.insert(name).inserted {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        let labelText = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }
            .joined(separator: ",") + "}"
        lines.append("\(name)\(labelText) \(Self.number(value))")
    }

    /// The exposition, ending with a newline as the format requires.
    package var text: String { lines.joined(separator: "\n") + "\n" }

    /// The `Content-Type` Prometheus expects for this format.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

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
            out.add("tenantd_fleet_nodes", "gauge", "Nodes in the front's table, by phase.",
                    Double(nodes.filter { $0.phase == phase }.count), labels: [("phase", phase.rawValue)])
        }
        for node in nodes {
            let label = [("node", "\(node.id.rawValue)")]
            out.add("tenantd_fleet_node_tenants", "gauge", "Tenants seen through the front that the node owns.",
                    Double(perNode[node.id] ?? 0), labels: label)
        }
        for node in nodes {
            out.add("tenantd_fleet_node_tenants_loaded", "gauge", "Tenants the node held loaded at its last probe.",
                    Double(node.loadedTenants), labels: [("node", "\(node.id.rawValue)")])
        }
        for node in nodes {
            out.add("tenantd_fleet_node_in_flight", "gauge", "Requests forwarded to the node and not yet answered.",
                    Double(node.inFlight), labels: [("node", "\(node.id.rawValue)")])
        }
        out.add("tenantd_fleet_tenants_seen", "gauge", "Tenants answered through the front.", Double(table.tenantsSeen))
        out.add("tenantd_fleet_moves_total", "counter", "Tenants whose node changed, over every membership change.",
                Double(counters.moves))
        out.add("tenantd_fleet_scale_events_total", "counter", "Scale decisions applied, by direction.",
                Double(counters.grows), labels: [("direction", "grow")])
        out.add("tenantd_fleet_scale_events_total", "counter", "Scale decisions applied, by direction.",
                Double(counters.shrinks), labels: [("direction", "shrink")])
        out.add("tenantd_fleet_replacements_total", "counter", "Nodes that died and were started again.",
                Double(counters.replacements))
        out.add("tenantd_fleet_delayed_restarts_total", "counter", "Restarts held back by crash-loop backoff.",
                Double(controller?.backoff.delayedRestarts ?? 0))
        out.add("tenantd_fleet_handovers_total", "counter", "Registry partition hand-overs completed.",
                Double(counters.handovers))
        out.add("tenantd_fleet_forwarded_total", "counter", "Requests forwarded to nodes.", Double(counters.forwarded))
        out.add("tenantd_fleet_unavailable_total", "counter", "Requests answered 503 by the front.",
                Double(counters.unavailable))
        out.add("tenantd_fleet_routing_entries", "gauge",
                "Entries in the front's routing table (nodes, and departed nodes when it leaks them).",
                Double(table.routingEntries))
        if let controller, let load = controller.lastLoadPerNode {
            out.add("tenantd_fleet_load_per_node", "gauge", "The scale rule's last window mean per node.", load,
                    labels: [("measure", controller.rule.measure.rawValue)])
        }
        if let rss = PrometheusText.residentBytes() {
            out.add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", rss)
        }
        return out.text
    }
}
