import MiniHTTP
import TenantRuntime

/// `tenantd fleet-front`'s flags, set by the leading front that starts it.
package struct FollowerOptions: Sendable {
    package var index = 1
    package var leader = ""
    package var deciders: [String] = []
    package var listen = "127.0.0.1:0"
    package var timeScale = 1.0
    package var partitions: Int?

    package static func parse(_ arguments: [String]) throws(UsageError) -> FollowerOptions {
        var options = FollowerOptions()
        var reader = ArgumentReader(arguments)
        while let flag = reader.next() {
            switch flag {
            case "--index": options.index = try reader.count(for: flag)
            case "--follow": options.leader = try reader.value(for: flag)
            case "--deciders": options.deciders = try reader.value(for: flag).split(separator: ",").map(String.init)
            case "--listen": options.listen = try reader.value(for: flag)
            case "--time-scale":
                options.timeScale = try reader.number(for: flag, expected: "a positive number")
                guard options.timeScale > 0 else { throw UsageError("--time-scale: expected a positive number") }
            case "--partitions": options.partitions = try reader.count(for: flag, within: TenantdLimits.partitions)
            default: throw UsageError("unknown fleet-front option \(flag)")
            }
        }
        guard !options.leader.isEmpty else { throw UsageError("fleet-front needs --follow HOST:PORT, its leader") }
        return options
    }
}

/// A follower front's loop: adopts the leader's metadata every `period`, and every fifth time
/// reports its load to the decision service.
package struct FollowerLoop: Sendable {
    package let table: NodeTable
    package let leader: HTTPClient
    package let decisions: DecisionClient?
    package let clock: any RuntimeClock

    package init(table: NodeTable, leader: SocketAddress, deciders: [SocketAddress], index: Int,
                 clock: any RuntimeClock) {
        self.table = table
        self.clock = clock
        self.leader = HTTPClient(address: leader, configuration: .init(timeout: .milliseconds(500)))
        if deciders.isEmpty {
            decisions = nil
        } else {
            let client = DecisionClient(front: index)
            client.connect(to: deciders)
            decisions = client
        }
    }

    /// One round; `round` counts them. Returns whether the leader answered.
    @discardableResult
    package func step(round: Int) -> Bool {
        var answered = false
        if let response = try? leader.get("/_fleet/membership"), response.status == 200,
            let membership = FleetMembership(parsing: String(decoding: response.body, as: UTF8.self)) {
            table.adopt(membership)
            answered = true
        }
        if let decisions, round % 5 == 0 {
            let report = LoadReport(front: decisions.front, simulatedSeconds: clock.now.seconds,
                                    busyNodeSeconds: table.loadSeconds(of: .inFlight), loadedTenantSeconds: 0,
                                    liveNodes: nil)
            _ = decisions.exchange(report, acknowledging: nil)
        }
        return answered
    }
}
