import MiniHTTP
import Synchronization

/// `tenantd fleet --fronts N`: the N-1 fronts beside the one that owns the nodes, each a child
/// process (`tenantd fleet-front`) on its own loopback port. Each pulls the leader's routing
/// metadata every 20 ms, routes with the same functions (so a tenant goes to the same node
/// whichever front it reaches, as behind DNS round robin), and reports its own load to the
/// decision service in batches. They decide nothing and start nothing.
package final class FollowerFronts: Sendable {
    let launcher: TenantdNodeLauncher
    let count: Int
    let arguments: [String]
    private let shared = Mutex<(leader: SocketAddress?, processes: [any RunningNode])>((nil, []))

    /// `count` followers of tenantd `executable`, given `arguments` (partitions, time scale).
    package init(executable: String, count: Int, arguments: [String]) {
        launcher = TenantdNodeLauncher(executable: executable, arguments: [])
        self.count = count
        self.arguments = arguments
    }

    /// The leader's address, known once its server listens.
    package func follow(_ leader: SocketAddress) { shared.withLock { $0.leader = leader } }

    /// Starts the followers; from the thread that outlives them.
    package func start(deciders: [SocketAddress]) throws {
        guard let leader = shared.withLock({ $0.leader }) else { return }
        guard count > 1 else { return }
        for index in 1..<count {
            var launcher = launcher
            launcher.arguments = ["fleet-front", "--index", "\(index)", "--follow", "\(leader)"]
                + (deciders.isEmpty ? [] : ["--deciders", deciders.map { "\($0)" }.joined(separator: ",")]) + arguments
            let process = try launcher.start(NodeID(index))
            shared.withLock { $0.processes.append(process) }
        }
    }

    package func stop() {
        for process in shared.withLock({ $0.processes }) { process.stop() }
    }

    /// Addresses of the followers, in order.
    package var addresses: [SocketAddress] { shared.withLock { $0.processes.map(\.address) } }

    /// `"fronts":[...]` for `/_fleet/stats`, the leader first.
    package var statsMembers: String {
        let (leader, processes) = shared.withLock { ($0.leader, $0.processes) }
        let followers = processes.enumerated().map { index, process in
            "{\"index\":\(index + 1),\"pid\":\(process.pid),\"address\":\"\(process.address)\","
                + "\"running\":\(!process.hasEnded())}"
        }
        let first = "{\"index\":0,\"address\":\"\(leader.map { "\($0)" } ?? "")\",\"leader\":true}"
        return "\"fronts\":[" + ([first] + followers).joined(separator: ",") + "]"
    }
}
