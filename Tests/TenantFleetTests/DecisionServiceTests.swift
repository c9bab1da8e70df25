import MiniHTTP
import Synchronization
import Testing
import TenantRuntime
@testable import TenantFleet

/// The decision service and its replica in one process, on a manual wall clock: numbered
/// decisions, the replica's log, the takeover, and the executor's once-only application.
@Suite struct DecisionServiceTests {
    final class Wall: Sendable {
        let now = Mutex(Duration.zero)
        func advance(_ by: Duration) { now.withLock { $0 += by } }
    }

    func rule() -> ScaleRule {
        var rule = ScaleRule()
        rule.minNodes = 1
        rule.maxNodes = 3
        rule.window = .seconds(60)
        rule.upAbove = 2
        rule.downBelow = 0.5
        return rule
    }

    /// Reports whose load swings between busy and idle every window: a decision at most windows.
    struct Executor {
        var busy = 0.0
        var seconds = 0.0
        var applied = 0
        var term = 0
        var appliedNumbers: [Int] = []
        var skipped = 0
        var live = 1

        mutating func report(busyWindow: Bool) -> LoadReport {
            seconds += 60
            busy += busyWindow ? 60 * 5 * Double(live) : 0
            return LoadReport(front: 0, simulatedSeconds: seconds, busyNodeSeconds: busy, loadedTenantSeconds: 0,
                              liveNodes: live)
        }

        mutating func apply(_ decisions: [Decision]) {
            for decision in decisions.sorted(by: { $0.number < $1.number }) {
                guard decision.number == applied + 1, decision.term >= term else {
                    skipped += 1
                    continue
                }
                applied = decision.number
                term = decision.term
                appliedNumbers.append(decision.number)
                live += decision.grow ? 1 : -1
            }
        }
    }

    static func exchange(_ service: DecisionService, _ report: LoadReport, ack: Int) -> [Decision]? {
        let body = Array((DecisionWire.line(.report(report)) + "\n").utf8)
        let response = service.respond(to: HTTPRequest(method: "POST", target: "/_decider/exchange?front=0&ack=\(ack)",
                                                       body: body))
        guard response.status == 200 else { return nil }
        return String(decoding: response.body, as: UTF8.self).split(separator: "\n").dropFirst()
            .compactMap(DecisionWire.decision)
    }

    @Test func aReplicaApplyingTheSameLogTakesTheSameNumberedDecisions() {
        var primary = DecisionCore(rule: rule())
        var replica = DecisionCore(rule: rule())
        var executor = Executor()
        var taken: [Decision] = []
        for step in 0..<40 {
            let entry = DecisionCore.Entry.report(executor.report(busyWindow: step % 4 < 2))
            if let decision = primary.apply(entry) { taken.append(decision); executor.apply([decision]) }
            replica.apply(entry)
        }
        #expect(taken.count >= 10)
        #expect(taken.map(\.number) == Array(1...taken.count))
        #expect(replica.lastDecision == primary.lastDecision)
        #expect(replica.pending == primary.pending)
    }

    @Test func aDecisionLeavesThePrimaryOnlyOnceTheReplicaHoldsIt() {
        let wall = Wall()
        let primary = DecisionService(rule: rule(), role: .primary, wallNow: { wall.now.withLock { $0 } })
        let replica = DecisionService(rule: rule(), role: .replica, wallNow: { wall.now.withLock { $0 } })
        var executor = Executor()
        _ = Self.exchange(primary, executor.report(busyWindow: true), ack: 0)
        let held = Self.exchange(primary, executor.report(busyWindow: true), ack: 0)
        #expect(primary.core.lastDecision == 1, "a grow was decided")
        #expect(held == [], "but not sent before the replica holds it")
        // The replica's first contact takes a snapshot: it holds everything up to there.
        replica.follow { primary.respond(to: HTTPRequest(target: $0)) }
        #expect(replica.core.lastDecision == 1)
        let sent = Self.exchange(primary, executor.report(busyWindow: false), ack: 0) ?? []
        #expect(sent.map(\.number) == [1])
        #expect(Self.exchange(replica, executor.report(busyWindow: false), ack: 0) == nil, "a replica takes no reports")
        // After it, each log pull acknowledges what the replica held before it: one pull behind.
        let before = primary.core.lastDecision
        for _ in 0..<10 where primary.core.lastDecision == before {
            _ = Self.exchange(primary, executor.report(busyWindow: true), ack: 1)
        }
        let newest = primary.core.lastDecision
        #expect(newest > before)
        replica.follow { primary.respond(to: HTTPRequest(target: $0)) }
        #expect(replica.core.lastDecision >= newest)
        let notYet = Self.exchange(primary, executor.report(busyWindow: false), ack: 1) ?? []
        #expect(!notYet.contains { $0.number == newest })
        replica.follow { primary.respond(to: HTTPRequest(target: $0)) }
        let released = Self.exchange(primary, executor.report(busyWindow: false), ack: 1) ?? []
        #expect(released.contains { $0.number == newest })
    }

    @Test func aNewReplicaStartsFromASnapshotAndDecidesAsTheSurvivorWould() {
        var survivor = DecisionCore(rule: rule())
        var executor = Executor()
        for step in 0..<15 { survivor.apply(.report(executor.report(busyWindow: step % 4 < 2))) }
        var copy = DecisionCore(rule: rule(), snapshot: survivor.snapshot)
        #expect(copy != nil)
        for step in 15..<40 {
            let entry = DecisionCore.Entry.report(executor.report(busyWindow: step % 4 < 2))
            #expect(survivor.apply(entry) == copy?.apply(entry))
        }
        #expect(copy?.snapshot == survivor.snapshot)
        #expect(DecisionCore(rule: rule(), snapshot: "core 1 2\n") == nil)
        // An unsynced replica never takes over, however long its primary is silent.
        let wall = Wall()
        let replica = DecisionService(rule: rule(), role: .replica, wallNow: { wall.now.withLock { $0 } })
        wall.advance(.seconds(10))
        #expect(replica.follow { _ in nil } == .replica)
    }

    @Test func theReplicaTakesOverAfterItsBoundAndNoDecisionIsLostOrAppliedTwice() {
        let wall = Wall()
        let clock: @Sendable () -> Duration = { wall.now.withLock { $0 } }
        let primary = DecisionService(rule: rule(), role: .primary, takeoverAfter: .milliseconds(300), wallNow: clock)
        let replica = DecisionService(rule: rule(), role: .replica, takeoverAfter: .milliseconds(300), wallNow: clock)
        let primaryAlive = Mutex(true)
        let pull: (String) -> HTTPResponse? = { path in
            primaryAlive.withLock { $0 } ? primary.respond(to: HTTPRequest(target: path)) : nil
        }
        var executor = Executor()
        var termsApplied: [Int] = []
        for step in 0..<80 {
            wall.advance(.milliseconds(20))
            if step == 40 { primaryAlive.withLock { $0 = false } }
            replica.follow(pull)
            let report = executor.report(busyWindow: step % 6 < 3)
            // The front tries the primary, then the replica (which answers 409 until it takes over).
            let answer = (primaryAlive.withLock { $0 } ? Self.exchange(primary, report, ack: executor.applied) : nil)
                ?? Self.exchange(replica, report, ack: executor.applied)
            let before = executor.applied
            executor.apply(answer ?? [])
            termsApplied += Array(repeating: executor.term, count: executor.applied - before)
            // The primary's answers resent, as a retry after a lost reply would: skipped, never applied twice.
            if step % 7 == 0 { executor.apply(answer ?? []) }
        }
        #expect(replica.role == .primary)
        #expect(replica.core.term == 2)
        #expect(executor.appliedNumbers == Array(1...executor.applied), "numbers contiguous, each once")
        #expect(termsApplied.contains(1) && termsApplied.contains(2), "decisions from both terms: \(termsApplied)")
        let takeover = replica.statsJSON()
        #expect(takeover.contains("\"takeovers\":1"))
        print("decider: \(executor.applied) decisions applied, \(executor.skipped) resent and skipped; \(takeover)")
    }

    @Test func theWireFormatRoundTrips() {
        let report = LoadReport(front: 2, simulatedSeconds: 12.5, busyNodeSeconds: 0.1 + 0.2, loadedTenantSeconds: 7,
                                liveNodes: nil)
        #expect(DecisionWire.entry(Substring(DecisionWire.line(.report(report)))) == .report(report))
        #expect(DecisionWire.entry("ack 9") == .acknowledged(9))
        let decision = Decision(term: 3, number: 17, index: 40, grow: false, reason: "mean in-flight 0.1 < 0.5")
        #expect(DecisionWire.decision(Substring(DecisionWire.line(decision))) == decision)
        #expect(DecisionWire.entry("report x") == nil)
    }

    @Test func deciderFlagsCarryTheRuleAndRefuseAReplicaWithNoPrimary() throws {
        var given = rule()
        given.measure = .tenants
        given.upAbove = 90
        given.downBelow = 30
        given.window = .milliseconds(1500)
        let options = try DeciderOptions.parse(
            ["--role", "replica", "--follow", "127.0.0.1:9"]
                + DeciderOptions.commandLine(rule: given, takeoverAfter: .seconds(1)))
        #expect(options.rule == given)
        #expect(options.takeoverAfter == .seconds(1))
        #expect(throws: UsageError.self) { try DeciderOptions.parse(["--role", "replica"]) }
        // The rule's flags are read as the front reads them, refusals included.
        #expect(throws: UsageError("--scale-on: expected in-flight or tenants, found \"cpu\"")) {
            try DeciderOptions.parse(["--scale-on", "cpu"])
        }
        #expect(throws: UsageError("unknown fleet-decider option --scale-up")) {
            try DeciderOptions.parse(["--scale-up", "3"])
        }
    }
}

/// Decisions on their way to the executor count as applied when the next one is weighed.
@Suite struct DecisionLatencyTests {
    @Test func aWindowShorterThanTheRoundTripDoesNotDecideTheSameStepTwice() {
        var rule = ScaleRule()
        rule.minNodes = 1
        rule.maxNodes = 4
        rule.window = .seconds(20)
        var core = DecisionCore(rule: rule)
        var decisions: [Decision] = []
        // Idle reports, live 4, never acknowledged: the executor has applied nothing yet.
        for step in 0..<20 {
            let report = LoadReport(front: 0, simulatedSeconds: Double(step) * 20, busyNodeSeconds: 0,
                                    loadedTenantSeconds: 0, liveNodes: 4)
            if let decision = core.apply(.report(report)) { decisions.append(decision) }
        }
        #expect(decisions.map(\.grow) == [false, false, false], "4 -> 1 and no further: \(decisions)")
    }
}
