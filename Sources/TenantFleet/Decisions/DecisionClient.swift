import MiniHTTP
import Synchronization

/// A front's side of the decision service: sends its load in batches to whichever service is
/// the primary, and, for the front that owns the nodes, brings back the decisions to apply.
package final class DecisionClient: Sendable {
    struct State {
        var clients: [HTTPClient] = []
        var current = 0
        var term = 0
        var applied = 0
        var replicaLag = 0
        var failovers = 0
        var lastAnswerFrom: Int?
        var exchanges = 0
        var failures = 0
    }

    let front: Int
    private let state = Mutex(State())

    package init(front: Int) { self.front = front }

    /// The services to talk to, primary first.
    package func connect(to addresses: [SocketAddress]) {
        let clients = addresses.map { HTTPClient(address: $0, configuration: .init(timeout: .milliseconds(300))) }
        state.withLock { $0.clients = clients }
    }

    /// Sends one report (and, from the executor, the number of the last decision it applied);
    /// returns the decisions after it, or nil when no service answered as primary.
    package func exchange(_ report: LoadReport, acknowledging applied: Int?) -> [Decision]? {
        let (clients, start) = state.withLock { ($0.clients, $0.current) }
        guard !clients.isEmpty else { return nil }
        let body = Array((DecisionWire.line(.report(report)) + "\n").utf8)
        let query = "front=\(front)" + (applied.map { "&ack=\($0)" } ?? "")
        for step in 0..<clients.count {
            let which = (start + step) % clients.count
            let request = HTTPRequest(method: "POST", target: "/_decider/exchange?\(query)", body: body)
            guard let response = try? clients[which].send(request), response.status == 200 else { continue }
            let lines = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
            let head = lines.first?.split(separator: " ") ?? []
            state.withLock { state in
                if which != state.current { state.failovers += 1 }
                state.current = which
                state.lastAnswerFrom = which
                state.exchanges += 1
                if head.count == 6, let term = Int(head[1]), let applied = Int(head[3]), let replica = Int(head[5]) {
                    state.term = term
                    state.replicaLag = applied - replica
                }
            }
            return lines.dropFirst().compactMap(DecisionWire.decision)
        }
        state.withLock { $0.failures += 1 }
        return nil
    }

    /// What `/_fleet/stats` shows of the decision service, as JSON members.
    package var statsMembers: String {
        state.withLock { state in
            "\"decider_primary\":\(state.lastAnswerFrom.map(String.init) ?? "null"),\"decider_term\":\(state.term),"
                + "\"decider_replica_lag_entries\":\(state.replicaLag),\"decider_failovers\":\(state.failovers),"
                + "\"decider_exchanges\":\(state.exchanges),\"decider_failures\":\(state.failures)"
        }
    }

    /// The replica's lag in log entries, as the primary last said.
    package var replicaLag: Int { state.withLock { $0.replicaLag } }
}
