import TenantRuntime

/// The decision service's state (the seed's Solution 5) as a value: load reports in, numbered
/// scale decisions out. Deterministic, so a replica that applies the same log of reports and
/// acknowledgements in the same order holds the same state and numbers the same decisions;
/// that is all the replication there is (STYLE.md 4: the locking and the network stay outside).
package struct DecisionCore: Sendable {
    /// One entry of the replicated log.
    package enum Entry: Sendable, Equatable {
        /// A front's load, cumulative since it started, so a lost batch loses nothing.
        case report(LoadReport)
        /// The executing front has applied every decision up to this number.
        case acknowledged(Int)
    }

    private var autoscaler: Autoscaler
    /// Log entries applied: the replica's position, and what a decision's `index` refers to.
    package private(set) var applied = 0
    /// The number of the last decision taken.
    package private(set) var lastDecision = 0
    /// Raised by each takeover; a decision carries the term it was taken in, so the executor can
    /// tell a deposed primary's late decisions from the new primary's.
    package private(set) var term = 1
    /// Decisions taken and not yet acknowledged by the executing front, oldest first.
    package private(set) var pending: [Decision] = []
    /// The executing front's last acknowledgement.
    package private(set) var acknowledged = 0
    private var latest: [Int: LoadReport] = [:]
    private var liveNodes = 0

    package init(rule: ScaleRule) { autoscaler = Autoscaler(rule: rule) }

    /// The rule decisions follow.
    package var rule: ScaleRule { autoscaler.rule }

    /// Applies the next log entry; returns the decision it led to, if any.
    @discardableResult
    package mutating func apply(_ entry: Entry) -> Decision? {
        applied += 1
        switch entry {
        case .acknowledged(let number):
            acknowledged = max(acknowledged, number)
            pending.removeAll { $0.number <= acknowledged }
            return nil
        case .report(let report):
            latest[report.front] = report
            // The executor's count reflects the decisions it has applied (those up to its last
            // acknowledgement); those still on their way count as done, or a decision window
            // shorter than the round trip would decide the same step twice.
            if let live = report.liveNodes { liveNodes = live + pending.reduce(0) { $0 + ($1.grow ? 1 : -1) } }
            // Only the executing front knows the nodes; until it has reported there is nothing to decide.
            guard latest.values.contains(where: { $0.liveNodes != nil }) else { return nil }
            let measure = autoscaler.rule.measure
            let total = latest.values.reduce(0.0) {
                $0 + (measure == .inFlight ? $1.busyNodeSeconds : $1.loadedTenantSeconds)
            }
            // The executing front's clock is the fleet's: other fronts' clocks started later.
            let now = latest.values.first { $0.liveNodes != nil }?.simulatedSeconds ?? 0
            guard let decision = autoscaler.observe(at: SimulatedTimeFromSeconds.make(now), loadSeconds: total,
                                                    liveNodes: liveNodes)
            else { return nil }
            lastDecision += 1
            let (grow, reason): (Bool, String) = switch decision {
            case .grow(let reason): (true, reason)
            case .shrink(let reason): (false, reason)
            }
            let taken = Decision(term: term, number: lastDecision, index: applied, grow: grow, reason: reason)
            pending.append(taken)
            return taken
        }
    }

    /// The replica becomes the primary: later decisions carry a higher term.
    package mutating func takeOver() { term += 1 }

    /// The whole state as text, for a replica that starts after the log it would need is gone.
    package var snapshot: String {
        let window = autoscaler.windowState
        var lines = [
            "core \(applied) \(lastDecision) \(term) \(acknowledged) \(liveNodes)",
            "window \(window.start.map { "\(Self.nanoseconds($0))" } ?? "-") \(window.load) "
                + "\(window.lastLoadPerNode.map { "\($0)" } ?? "-")",
        ]
        lines += latest.keys.sorted().map { "latest " + DecisionWire.line(.report(latest[$0]!)) }
        lines += pending.map { "pending " + DecisionWire.line($0) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The state `snapshot` wrote, under `rule`; nil when the text is not one.
    package init?(rule: ScaleRule, snapshot text: String) {
        self.init(rule: rule)
        var sawCore = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            switch fields.first {
            case "core":
                let numbers = fields.dropFirst().compactMap { Int($0) }
                guard fields.count == 6, numbers.count == 5 else { return nil }
                (applied, lastDecision, term, acknowledged, liveNodes) =
                    (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
                sawCore = true
            case "window":
                guard fields.count == 4, let load = Double(fields[2]) else { return nil }
                let start = fields[1] == "-"
                    ? nil : Int64(fields[1]).map { SimulatedTime(sinceStart: .nanoseconds($0)) }
                if fields[1] != "-", start == nil { return nil }
                let last = fields[3] == "-" ? nil : Double(fields[3])
                autoscaler.windowState = (start, load, last)
            case "latest":
                guard case .report(let report)? = DecisionWire.entry(line.dropFirst("latest ".count)) else {
                    return nil
                }
                latest[report.front] = report
            case "pending":
                guard let decision = DecisionWire.decision(line.dropFirst("pending ".count)) else { return nil }
                pending.append(decision)
            default:
                return nil
            }
        }
        guard sawCore else { return nil }
    }

    private static func nanoseconds(_ time: SimulatedTime) -> Int64 {
        let (seconds, attoseconds) = time.sinceStart.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Fronts that have reported at least once.
    package var frontsReporting: Int { latest.count }

    /// The mean load per node of the last closed window, for stats.
    package var lastLoadPerNode: Double? { autoscaler.lastLoadPerNode }
}

/// A front's load report: integrals since the front started, on the fleet's simulated clock.
package struct LoadReport: Sendable, Equatable {
    package var front: Int
    package var simulatedSeconds: Double
    package var busyNodeSeconds: Double
    package var loadedTenantSeconds: Double
    /// Serving nodes plus those awaiting a replacement, from the front that owns the nodes; nil
    /// from the others.
    package var liveNodes: Int?

    package init(front: Int, simulatedSeconds: Double, busyNodeSeconds: Double, loadedTenantSeconds: Double,
                 liveNodes: Int?) {
        self.front = front
        self.simulatedSeconds = simulatedSeconds
        self.busyNodeSeconds = busyNodeSeconds
        self.loadedTenantSeconds = loadedTenantSeconds
        self.liveNodes = liveNodes
    }
}

/// A numbered scale decision.
package struct Decision: Sendable, Equatable {
    /// The decision service's term when it was taken.
    package var term: Int
    /// 1, 2, 3, … with no gap: the executor applies number n only after n-1, and each once.
    package var number: Int
    /// The log index of the report it followed from: it may leave the service only once the
    /// replica holds that entry, so a takeover can never forget a decision a front has seen.
    package var index: Int
    package var grow: Bool
    package var reason: String

    package init(term: Int, number: Int, index: Int, grow: Bool, reason: String) {
        self.term = term
        self.number = number
        self.index = index
        self.grow = grow
        self.reason = reason
    }
}

enum SimulatedTimeFromSeconds {
    static func make(_ seconds: Double) -> SimulatedTime {
        SimulatedTime(sinceStart: .nanoseconds(Int64((seconds * 1e9).rounded())))
    }
}
