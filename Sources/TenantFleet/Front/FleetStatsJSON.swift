import TenantRuntime

/// `/_fleet/stats`: the fleet at a glance, as JSON written by hand (no Foundation in the front).
enum FleetStatsJSON {
    static func render(table: NodeTable, controller: FleetController?, frontIndex: Int = 0) -> String {
        guard let controller else { return renderFollower(table: table, index: frontIndex) }
        let counters = table.counters
        let (tenants, perNode) = table.tenantsPerNode
        let now = controller.clock.now
        let backoff = controller.backoff
        let owners = table.partitionOwners
        let nodes = table.nodes.map { node in
            let partitions = PartitionMap.partitions(of: node.id, in: owners).map(String.init).joined(separator: ",")
            let restart = controller.restartDueMillis(of: node.id).map(number) ?? "null"
            return """
            {"id":\(node.id.rawValue),"pid":\(node.pid),"address":"\(node.address)","phase":"\(node.phase.rawValue)",\
            "in_flight":\(node.inFlight),"requests":\(node.requests),"tenants":\(perNode[node.id] ?? 0),\
            "tenants_loaded":\(node.loadedTenants),"tenants_loaded_peak":\(node.peakLoadedTenants),\
            "generation":\(node.generation),"up_simulated_seconds":\(number((now - node.startedAt).secondsValue)),\
            "crash_streak":\(backoff.streak(of: node.id)),"restart_due_ms":\(restart),"partitions":[\(partitions)]}
            """
        }
        let decisions = counters.decisions.map(quoted).joined(separator: ",")
        return """
            {"nodes":[\(nodes.joined(separator: ","))],"serving_nodes":\(table.servingNodes.count),\
            "tenants_seen":\(tenants),\
            "moves_total":\(counters.moves),"grows_total":\(counters.grows),"shrinks_total":\(counters.shrinks),\
            "replacements_total":\(counters.replacements),\
            "crash_looping":[\(backoff.looping.map { "\($0.rawValue)" }.joined(separator: ","))],\
            "delayed_restarts_total":\(backoff.delayedRestarts),"forwarded_total":\(counters.forwarded),\
            "unavailable_total":\(counters.unavailable),\
            "last_replacement_ms":\(counters.lastReplacementMillis.map(number) ?? "null"),\
            "scale_on":"\(controller.rule.measure.rawValue)",\
            "load_per_node":\(controller.lastLoadPerNode.map(number) ?? "null"),\
            "routing_entries":\(table.routingEntries),\
            "partitions":\(table.partitions.map { "\($0.count)" } ?? "null"),"handovers_total":\(counters.handovers),\
            "fenced_total":\(counters.fenced),"routing_history_bytes":\(table.historyBytes),\
            "busy_node_seconds":\(number(table.busyNodeSeconds)),"simulated_seconds":\(number(now.seconds)),\
            "decisions":[\(decisions)]\(decisionMembers(controller))}

            """
    }

    static func decisionMembers(_ controller: FleetController) -> String {
        let fronts = controller.followers.map { ",\($0.statsMembers)" } ?? ""
        guard let deciders = controller.deciders else { return fronts }
        let applied = controller.appliedDecisions
        return ",\"decision_applied\":\(applied.number),\"decision_term\":\(applied.term),"
            + "\"decision_duplicates_skipped\":\(applied.duplicates),\(deciders.statsMembers)" + fronts
    }

    /// A follower front's stats: what it routes by and what it forwarded.
    static func renderFollower(table: NodeTable, index: Int) -> String {
        let counters = table.counters
        let (tenants, perNode) = table.tenantsPerNode
        let nodes = table.nodes.map {
            "{\"id\":\($0.id.rawValue),\"phase\":\"\($0.phase.rawValue)\",\"in_flight\":\($0.inFlight),"
                + "\"requests\":\($0.requests),\"tenants\":\(perNode[$0.id] ?? 0)}"
        }
        return "{\"front\":\(index),\"role\":\"follower\",\"nodes\":[\(nodes.joined(separator: ","))],"
            + "\"serving_nodes\":\(table.servingNodes.count),\"tenants_seen\":\(tenants),"
            + "\"forwarded_total\":\(counters.forwarded),\"unavailable_total\":\(counters.unavailable),"
            + "\"routing_entries\":\(table.routingEntries)}\n"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String((value * 1000).rounded() / 1000) : "null"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
