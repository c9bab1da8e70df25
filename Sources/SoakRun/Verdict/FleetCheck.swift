import FoundationEssentials
import Glibc
import MiniHTTP

/// The seed's integrity rules for a fleet, checked once the scenario is over: tenants spread
/// evenly over the nodes, and no node process outlives its place in the fleet. (The third rule,
/// every request answered, is the scenario's own: a request without its expected status makes its
/// cycle invalid.) Any problem makes the run invalid, never passed.
///
/// JSON keys (`run.json`'s `fleet`): `serving_nodes`, `tenants_seen`, `busiest_node_tenants`,
/// `busiest_bound`, `balance_checked`, `grows`, `shrinks`, `node_processes_seen`, `problems`.
package struct FleetCheck: Codable, Sendable, Equatable {
    /// Nodes serving at the end.
    package var servingNodes = 0
    /// Tenants the front answered for.
    package var tenantsSeen = 0
    /// Tenants routed to the busiest serving node.
    package var busiestNodeTenants = 0
    /// The most one node may hold: 1.25 × tenants ÷ serving nodes.
    package var busiestBound = 0.0
    /// Scale-ups and scale-downs the front made.
    package var grows = 0
    package var shrinks = 0
    /// Node processes the harness saw over the run.
    package var nodeProcessesSeen = 0
    /// What broke the rules, one sentence each; empty when none did.
    package var problems: [String] = []

    /// Whether the spread was held to the bound: only with enough tenants per node (below).
    package var balanceChecked = false

    /// How far above the mean the busiest node may go (the seed's 25%).
    package static let balanceTolerance = 0.25
    /// The fewest tenants per serving node, on average, for the bound to be a fair test. Hashing
    /// gives each node a binomial share with a spread of about √mean, so 25% of the mean is three
    /// such spreads only from about 100 tenants a node (1,000 over 4 nodes: 250 ± 14); with fewer,
    /// a perfect hash breaks the bound by chance, and the figures are recorded, not judged.
    package static let balanceMinimumMean = 100.0

    enum CodingKeys: String, CodingKey {
        case grows, shrinks, problems
        case servingNodes = "serving_nodes"
        case balanceChecked = "balance_checked"
        case tenantsSeen = "tenants_seen"
        case busiestNodeTenants = "busiest_node_tenants"
        case busiestBound = "busiest_bound"
        case nodeProcessesSeen = "node_processes_seen"
    }

    package init() {}

    /// What `/_fleet/stats` says, as far as the rules need it.
    struct Stats: Decodable {
        struct Node: Decodable {
            var id: Int
            var pid: Int32
            var phase: String
            var tenants: Int
        }

        var nodes: [Node]
        var tenantsSeen: Int
        var growsTotal: Int?
        var shrinksTotal: Int?

        enum CodingKeys: String, CodingKey {
            case nodes
            case tenantsSeen = "tenants_seen"
            case growsTotal = "grows_total"
            case shrinksTotal = "shrinks_total"
        }
    }

    /// Checks the front's stats against the node processes alive under it, before teardown.
    /// `body` is `/_fleet/stats` (nil when it could not be read); `children` the front's children.
    package mutating func examine(stats body: [UInt8]?, children: [pid_t]) {
        guard let body, let stats = try? JSONDecoder().decode(Stats.self, from: Data(body)) else {
            problems.append("/_fleet/stats could not be read at the end of the run, so the tenants' spread over "
                + "the nodes is unknown")
            return
        }
        grows = stats.growsTotal ?? 0
        shrinks = stats.shrinksTotal ?? 0
        tenantsSeen = stats.tenantsSeen
        let serving = stats.nodes.filter { $0.phase == "serving" }
        servingNodes = serving.count
        busiestNodeTenants = serving.map(\.tenants).max() ?? 0
        if servingNodes > 0 {
            busiestBound = (1 + Self.balanceTolerance) * Double(tenantsSeen) / Double(servingNodes)
            balanceChecked = Double(tenantsSeen) / Double(servingNodes) >= Self.balanceMinimumMean
            if balanceChecked, Double(busiestNodeTenants) > busiestBound {
                let busiest = serving.first { $0.tenants == busiestNodeTenants }.map { "node \($0.id)" } ?? "a node"
                problems.append("\(busiest) holds \(busiestNodeTenants) of \(tenantsSeen) tenants over \(servingNodes) "
                    + "serving nodes, more than the bound 1.25 × tenants ÷ nodes = "
                    + "\(Int(busiestBound.rounded(.down)))")
            }
        }
        let listed = Set(stats.nodes.map(\.pid))
        let unlisted = children.filter { !listed.contains($0) }
        if !unlisted.isEmpty {
            problems.append("\(unlisted.count) node process(es) (pid \(unlisted.map(String.init).joined(separator: ", ")))"
                + " still run under the front though /_fleet/stats no longer lists them: a scale-down left them behind")
        }
    }

    /// After teardown: every node process seen during the run must be gone with its front.
    package mutating func checkOrphans(seen: Set<pid_t>) {
        nodeProcessesSeen = seen.count
        let alive = seen.sorted().filter(Self.isAlive)
        if !alive.isEmpty {
            problems.append("\(alive.count) node process(es) outlived the fleet's teardown as orphans (pid "
                + alive.map(String.init).joined(separator: ", ") + ")")
        }
    }

    /// Whether `pid` names a live process (a zombie has already ended).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return false }
        let state = text[text.index(after: close)...].dropFirst().first
        return state != "Z" && state != "X"
    }

    /// Reads `/_fleet/stats` below `baseURL`; nil when it cannot.
    package static func fetchStats(baseURL: String) -> [UInt8]? {
        guard let response = try? HTTPClient.get(url: baseURL + "/_fleet/stats", timeout: .seconds(5)),
              response.status == 200
        else { return nil }
        return response.body
    }

    /// One line for logs and events.
    package var summary: String {
        "\(grows) scale-ups, \(shrinks) scale-downs; \(servingNodes) serving node(s) hold \(tenantsSeen) tenants, "
            + "the busiest \(busiestNodeTenants) (bound \(Int(busiestBound.rounded(.down)))); "
            + "\(nodeProcessesSeen) node processes seen"
            + (problems.isEmpty ? ", none left behind" : "; " + problems.joined(separator: "; "))
    }
}
