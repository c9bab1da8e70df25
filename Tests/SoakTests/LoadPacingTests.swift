import Synchronization
import Testing
@testable import SoakProfiles
@testable import SoakRun

/// The harness's own load on a manual clock: its pace, its stop, its counts. Nothing sleeps.
@Suite struct LoadPacingTests {
    /// A sender whose requests take `latency` of the manual clock and answer `status` (nil: refused).
    final class FakeSender: RequestSending, @unchecked Sendable {
        let clock: ManualRunClock
        var latency: Duration
        var status: Int?
        private(set) var sentAt: [Duration] = []
        private(set) var paths: [String] = []

        init(clock: ManualRunClock, latency: Duration = .milliseconds(1), status: Int? = 200) {
            self.clock = clock
            self.latency = latency
            self.status = status
        }

        func send(_ request: Profile.Request) -> RequestOutcome {
            sentAt.append(clock.now)
            paths.append(request.path)
            clock.advance(by: latency)
            return RequestOutcome(
                status: status, failure: status == nil ? "connection refused: nothing listens at h:1" : nil,
                latencyMilliseconds: latency.secondsValue * 1000)
        }
    }

    @Test func connectionsShareTheRateAndStagger() {
        // 4 connections at 8/s: each sends every 0.5 s, the four an eighth of a second apart.
        let paces = (0..<4).map { LoadPace(perSecond: 8, connections: 4, index: $0, start: .seconds(10)) }
        #expect(paces.allSatisfy { $0.period == .milliseconds(500) })
        #expect(paces.map(\.next) == [.seconds(10), .milliseconds(10_125), .milliseconds(10_250), .milliseconds(10_375)])
    }

    @Test func aSlowResponseNeverCausesABurst() {
        var pace = LoadPace(perSecond: 10, connections: 1, index: 0, start: .zero)
        pace.advance(finishedAt: .milliseconds(20))
        #expect(pace.next == .milliseconds(100))
        // Finished 350 ms late: the next request goes at once, then the period resumes from there,
        // rather than three requests back to back to make up the lost ones.
        pace.advance(finishedAt: .milliseconds(450))
        #expect(pace.next == .milliseconds(450))
        pace.advance(finishedAt: .milliseconds(455))
        #expect(pace.next == .milliseconds(550))
    }

    @Test func sendsAtItsShareCyclingThroughTheRequests() {
        let clock = ManualRunClock()
        let sender = FakeSender(clock: clock)
        let tally = LoadTally()
        let connection = LoadConnection(requests: ["/a", "/b", "/c"], perSecond: 20, connections: 2, index: 1)
        connection.run(clock: clock, sender: sender, tally: tally) { clock.now >= .seconds(10) }
        // 10 requests a second for this connection over 10 s, the first at 50 ms (its stagger).
        #expect(sender.sentAt.count == 100)
        #expect(sender.sentAt.first == .milliseconds(50) && sender.sentAt[1] == .milliseconds(150))
        #expect(Array(sender.paths.prefix(4)) == ["/b", "/c", "/a", "/b"])
        let totals = tally.totals()
        #expect(totals.sent == 100 && totals.failed == 0 && totals.firstFailure == nil)
        #expect(totals.latencyP50Milliseconds == 1 && totals.latencyP99Milliseconds == 1)
    }

    @Test func stopsAtOnceAndCountsNothingCutShort() {
        let clock = ManualRunClock()
        let sender = FakeSender(clock: clock, latency: .milliseconds(300))
        let tally = LoadTally()
        let stop = Atomic<Bool>(false)
        // The stop arrives mid-request (at 1.1 s, the request from 0.9 s ends at 1.2 s): that one
        // is not counted, and no further request is sent.
        clock.at(.milliseconds(1100)) { stop.store(true, ordering: .relaxed) }
        LoadConnection(requests: ["/"], perSecond: 2, connections: 1, index: 0)
            .run(clock: clock, sender: sender, tally: tally) { stop.load(ordering: .relaxed) }
        #expect(sender.sentAt == [.zero, .milliseconds(500), .milliseconds(1000)])
        #expect(tally.totals().sent == 2)
        // A stop before the first request sends nothing.
        let idle = FakeSender(clock: clock)
        LoadConnection(requests: ["/"], perSecond: 2, connections: 1, index: 0)
            .run(clock: clock, sender: idle, tally: LoadTally()) { true }
        #expect(idle.sentAt.isEmpty)
    }

    @Test func countsFailuresAndUnexpectedStatuses() {
        let clock = ManualRunClock()
        let sender = FakeSender(clock: clock, status: nil)
        let tally = LoadTally()
        let connection = LoadConnection(requests: ["/"], perSecond: 1, connections: 1, index: 0)
        connection.run(clock: clock, sender: sender, tally: tally) { clock.now >= .seconds(3) }
        sender.status = 404
        var expecting = Profile.Request(path: "/orders")
        expecting.method = "POST"
        expecting.expect = [201]
        LoadConnection(requests: [expecting], perSecond: 1, connections: 1, index: 0)
            .run(clock: clock, sender: sender, tally: tally) { clock.now >= .seconds(5) }
        let totals = tally.totals()
        #expect(totals.sent == 5 && totals.failed == 5 && totals.succeeded == 0)
        #expect(totals.firstFailure == "GET /: connection refused: nothing listens at h:1")
        #expect(totals.latencyP50Milliseconds == nil)
        #expect(LoadConnection.failure(of: RequestOutcome(status: 404, latencyMilliseconds: 1), expecting)
            == "POST /orders: status 404, expected 201")
    }

    @Test func percentilesAreNearestRankAndMemoryIsBounded() {
        let tally = LoadTally()
        for milliseconds in 1...100 { tally.record(latencyMilliseconds: Double(milliseconds), failure: nil) }
        #expect(tally.totals().latencyP50Milliseconds == 50 && tally.totals().latencyP99Milliseconds == 99)
        let long = LoadTally()
        for index in 0..<(LoadTally.latencyCapacity * 3) {
            long.record(latencyMilliseconds: Double(index % 100), failure: nil)
        }
        let totals = long.totals()
        #expect(totals.sent == LoadTally.latencyCapacity * 3)
        #expect(totals.latencyP50Milliseconds.map { (45...55).contains($0) } == true)
    }

    @Test func aLoadThatReachedNothingMakesTheRunInvalid() {
        var record = LoadRecord(form: "requests")
        record.connections = 2
        record.perSecond = 10
        record.totals = LoadTotals(sent: 40, failed: 40, firstFailure: "GET /: connection refused")
        #expect(record.problem == "the background load reached nothing: none of its 40 requests succeeded "
            + "(first failure: GET /: connection refused), so the target was never under load")
        record.totals = LoadTotals(sent: 40, failed: 3, firstFailure: "GET /: status 500, expected 2xx or 3xx",
            latencyP50Milliseconds: 0.5, latencyP99Milliseconds: 2)
        #expect(record.problem == nil)
        #expect(record.line == "load: 2 connection(s) at 10/s: 40 sent, 3 failed (first: GET /: status 500, "
            + "expected 2xx or 3xx), latency p50 0.5 ms, p99 2 ms")

        var command = LoadRecord(form: "command")
        command.command = ["sh", "load.sh", "http://127.0.0.1:5"]
        command.exit = .signaled(signal: 15)
        #expect(command.problem == nil)
        command.endedEarly = true
        command.exit = .exited(status: 2)
        #expect(command.problem == "the load command exited with status 2 before the run ended; see load.stderr.log")
        command.exit = .exited(status: 0)
        #expect(command.problem == nil, "a load that finished its own work is not a failure")
    }
}
