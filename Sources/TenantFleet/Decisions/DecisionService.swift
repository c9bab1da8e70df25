import MiniHTTP
import PosixSupport
import Synchronization
import SoakUnits

/// `tenantd fleet-decider`: the one place scale decisions are taken (the seed's Solution 5).
///
/// Fronts POST their load to `/_decider/exchange` in batches and get back the decisions they may
/// apply. A replica started with `--follow` pulls the primary's log from `/_decider/log` (its pull
/// says how far it holds, which is the acknowledgement) and applies it to its own
/// ``DecisionCore``; when the primary has not answered for `takeoverAfter` it takes over with the
/// next term. A decision leaves the primary only once the replica holds the report it came from,
/// so a takeover never loses a decision a front has seen, and decisions are numbered so the
/// executing front applies each exactly once.
///
///     POST /_decider/exchange?front=F[&ack=N]   body: a report line; answers the decisions after N
///     GET  /_decider/snapshot                   the whole state, where a (new) replica starts
///     GET  /_decider/log?after=N                the log after N (the replica's pull)
///     GET  /_decider/stats                      role, term, applied, decisions, replica lag (JSON)
///     GET  /metrics                             the same for Prometheus
package final class DecisionService: Sendable {
    package enum Role: String, Sendable { case primary, replica }

    struct State {
        var core: DecisionCore
        var role: Role
        /// Entries not yet pulled by the replica, with their log index.
        var log: [(index: Int, entry: DecisionCore.Entry)] = []
        var replicaHolds = 0
        var lastReplicaPull: Duration?
        var lastPrimaryAnswer: Duration
        var takeovers = 0
        var takeoverMillis: Double?
        var decisionsTaken = 0
        var reportsReceived = 0
        /// A replica starts from the primary's snapshot; until it has one it never takes over
        /// (its empty state would forget every decision taken so far).
        var synced: Bool
    }

    let state: Mutex<State>
    let wallNow: @Sendable () -> Duration
    let startedAt: Duration
    /// A primary that has not heard from its replica for this long decides alone (and says so).
    package let replicaTimeout: Duration
    /// A replica whose primary has not answered for this long takes over.
    package let takeoverAfter: Duration

    package init(
        rule: ScaleRule, role: Role, takeoverAfter: Duration = .milliseconds(300),
        replicaTimeout: Duration = .seconds(1), wallNow: @escaping @Sendable () -> Duration = { MonotonicClock.now }
    ) {
        self.wallNow = wallNow
        self.takeoverAfter = takeoverAfter
        self.replicaTimeout = replicaTimeout
        startedAt = wallNow()
        state = Mutex(State(core: DecisionCore(rule: rule), role: role, lastPrimaryAnswer: startedAt,
                            synced: role == .primary))
    }

    /// Answers one request.
    package func respond(to request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("POST", "/_decider/exchange"): return exchange(request)
        case ("GET", "/_decider/log"): return log(after: Int(Self.field("after", in: request.query) ?? "") ?? 0)
        case ("GET", "/_decider/snapshot"): return snapshot()
        case ("GET", "/_decider/stats"): return HTTPResponse(json: Array(statsJSON().utf8))
        case ("GET", "/metrics"):
            return HTTPResponse(status: 200, text: metrics(), headers: ["Content-Type": PrometheusText.contentType])
        case ("GET", "/_decider/health"): return HTTPResponse(text: "ok\n")
        default: return HTTPResponse(status: 404, text: "no such path; see tenantd fleet --help (decision service)\n")
        }
    }

    private func exchange(_ request: HTTPRequest) -> HTTPResponse {
        let now = wallNow()
        let line = String(decoding: request.body, as: UTF8.self).split(separator: "\n").first ?? ""
        guard let entry = DecisionWire.entry(line), case .report = entry else {
            return HTTPResponse(status: 400, text: "expected one line: report FRONT SECONDS BUSY LOADED LIVE|-\n")
        }
        let ack = Self.field("ack", in: request.query).flatMap { Int($0) }
        return state.withLock { state in
            guard state.role == .primary else {
                return HTTPResponse(status: 409, text: "this decision service is the replica\n")
            }
            if let ack, ack > state.core.acknowledged { Self.append(.acknowledged(ack), to: &state) }
            if Self.append(entry, to: &state) != nil { state.decisionsTaken += 1 }
            state.reportsReceived += 1
            let committed = committedIndex(state, at: now)
            if committed == state.core.applied, state.replicaHolds < committed {
                // No replica listening: nothing to keep the log for. (One that comes back this far
                // behind would need a snapshot, which is not built: it stays behind, and says so.)
                state.log.removeAll()
            }
            let answer = state.core.pending.filter { $0.index <= committed && $0.number > (ack ?? Int.max) }
            let head = "term \(state.core.term) applied \(state.core.applied) replica \(state.replicaHolds)\n"
            return HTTPResponse(text: head + answer.map { DecisionWire.line($0) + "\n" }.joined())
        }
    }

    @discardableResult
    private static func append(_ entry: DecisionCore.Entry, to state: inout State) -> Decision? {
        let decision = state.core.apply(entry)
        state.log.append((state.core.applied, entry))
        return decision
    }

    /// How far decisions may go out: what the replica holds, unless it has gone quiet.
    private func committedIndex(_ state: State, at now: Duration) -> Int {
        let lastHeard = state.lastReplicaPull ?? startedAt
        return now - lastHeard < replicaTimeout ? state.replicaHolds : state.core.applied
    }

    private func log(after position: Int) -> HTTPResponse {
        let now = wallNow()
        return state.withLock { state in
            guard state.role == .primary else { return HTTPResponse(status: 409, text: "not the primary\n") }
            state.replicaHolds = max(state.replicaHolds, min(position, state.core.applied))
            state.lastReplicaPull = now
            // What the replica holds is never sent again: the log stays as short as its lag.
            state.log.removeAll { $0.index <= state.replicaHolds }
            let lines = state.log.map { "\($0.index) \(DecisionWire.line($0.entry))\n" }
            return HTTPResponse(text: "term \(state.core.term)\n" + lines.joined())
        }
    }

    private func snapshot() -> HTTPResponse {
        let now = wallNow()
        return state.withLock { state in
            guard state.role == .primary else { return HTTPResponse(status: 409, text: "not the primary\n") }
            // Everything up to here is in the snapshot; the log is kept from here for the replica.
            state.replicaHolds = state.core.applied
            state.lastReplicaPull = now
            state.log.removeAll()
            return HTTPResponse(text: state.core.snapshot)
        }
    }

    /// One pull of the primary's log, for a replica; takes over when the primary has been silent
    /// for `takeoverAfter`. `get` fetches a path from the primary (nil: no answer). Returns the
    /// role after the step.
    @discardableResult
    package func follow(_ get: (String) -> HTTPResponse?) -> Role {
        let (position, synced) = state.withLock { ($0.role == .replica ? $0.core.applied : nil, $0.synced) }
        guard let position else { return .primary }
        if !synced {
            let response = get("/_decider/snapshot")
            let now = wallNow()
            guard let response, response.status == 200,
                let core = DecisionCore(rule: state.withLock { $0.core.rule },
                                        snapshot: String(decoding: response.body, as: UTF8.self))
            else { return .replica }
            state.withLock { state in
                state.core = core
                state.synced = true
                state.lastPrimaryAnswer = now
            }
            return .replica
        }
        let response = get("/_decider/log?after=\(position)")
        let now = wallNow()
        return state.withLock { state in
            if let response, response.status == 200 {
                state.lastPrimaryAnswer = now
                for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n").dropFirst() {
                    guard let space = line.firstIndex(of: " "), let index = Int(line[..<space]),
                        index == state.core.applied + 1,
                        let entry = DecisionWire.entry(line[line.index(after: space)...])
                    else { continue }
                    if state.core.apply(entry) != nil { state.decisionsTaken += 1 }
                }
                return .replica
            }
            if now - state.lastPrimaryAnswer >= takeoverAfter {
                state.role = .primary
                state.core.takeOver()
                state.takeovers += 1
                state.takeoverMillis = (now - state.lastPrimaryAnswer).secondsValue * 1000
                state.lastReplicaPull = nil
            }
            return state.role
        }
    }

    /// The role now.
    package var role: Role { state.withLock { $0.role } }

    /// The core's state, for tests and stats.
    package var core: DecisionCore { state.withLock { $0.core } }

    func statsJSON() -> String {
        let now = wallNow()
        return state.withLock { state in
            let alive = state.role == .primary && now - (state.lastReplicaPull ?? startedAt) < replicaTimeout
                && (state.lastReplicaPull != nil || state.takeovers == 0)
            let lag = alive ? "\(state.core.applied - state.replicaHolds)" : "null"
            let quiet = state.lastReplicaPull.map { (now - $0).secondsValue * 1000 }
            return """
                {"role":"\(state.role.rawValue)","term":\(state.core.term),"applied":\(state.core.applied),\
                "decisions":\(state.core.lastDecision),"acknowledged":\(state.core.acknowledged),\
                "pending":\(state.core.pending.count),"replica_holds":\(state.replicaHolds),"replica_alive":\(alive),\
                "replica_lag_entries":\(lag),"replica_quiet_ms":\(quiet.map { "\(Int($0))" } ?? "null"),\
                "log_entries":\(state.log.count),"reports_received":\(state.reportsReceived),\
                "fronts_reporting":\(state.core.frontsReporting),\
                "takeovers":\(state.takeovers),"takeover_ms":\(state.takeoverMillis.map { "\(Int($0))" } ?? "null")}

                """
        }
    }

    func metrics() -> String {
        let now = wallNow()
        var out = PrometheusText()
        state.withLock { state in
            out.add("tenantd_decider_primary", .gauge, help: "1 when this decision service is the primary.",
                value: state.role == .primary ? 1 : 0)
            out.add("tenantd_decider_term", .gauge, help: "The decision service's term (raised by each takeover).",
                value: Double(state.core.term))
            out.add("tenantd_decider_decisions_total", .counter, help: "Scale decisions numbered so far.",
                value: Double(state.core.lastDecision))
            out.add("tenantd_decider_log_applied", .gauge, help: "Log entries applied.",
                value: Double(state.core.applied))
            out.add("tenantd_decider_replica_lag_entries", .gauge, help: "Log entries the replica does not hold yet.",
                value: Double(state.role == .primary ? state.core.applied - state.replicaHolds : 0))
            out.add("tenantd_decider_log_entries", .gauge, help: "Entries kept for the replica.",
                value: Double(state.log.count))
            out.add("tenantd_decider_takeovers_total", .counter, help: "Takeovers by this service.",
                value: Double(state.takeovers))
            if let last = state.lastReplicaPull {
                out.add("tenantd_decider_replica_quiet_seconds", .gauge,
                    help: "Wall time since the replica last pulled.",
                    value: (now - last).secondsValue)
            }
        }
        if let rss = PrometheusText.residentBytes() {
            out.add("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.", value: rss)
        }
        return out.text
    }

    static func field(_ name: String, in query: String?) -> String? {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }
}
