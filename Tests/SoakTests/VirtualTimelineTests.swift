import MiniHTTP
import Synchronization
import SoakProfiles
import Testing
@testable import SoakRun

/// `HTTPVirtualTimeline` against a loopback server that keeps a clock the way tenantd's port does.
@Suite struct VirtualTimelineTests {
    /// A server with a stepped clock at `/_runtime/clock` and an `/echo` path, logging what it
    /// serves in order with the connection count at that moment.
    final class ClockServer: Sendable {
        let log = Mutex<[String]>([])
        let now = Mutex<Int64>(0)
        /// What the settled answer says as `next_deadline_ns` (JSON text); nil leaves it out.
        let nextDeadline = Mutex<String?>(nil)
        /// An advance to this time is refused with a 409.
        let refuse = Mutex<Int64?>(nil)

        func respond(_ request: HTTPRequest) -> HTTPResponse {
            if request.path == "/_runtime/clock" {
                if request.method == "GET" { return HTTPResponse(text: #"{"clock":"stepped","now_ns":0}"#) }
                let target = Int64(request.query?.split(separator: "=").last ?? "") ?? -1
                log.withLock { $0.append("advance \(target)") }
                if target == refuse.withLock({ $0 }) { return HTTPResponse(status: 409, text: "refused") }
                now.withLock { $0 = target }
                let next = nextDeadline.withLock { $0 }.map { #","next_deadline_ns":\#($0)"# } ?? ""
                return HTTPResponse(text: #"{"now_ns":\#(target),"tenants_loaded":1\#(next)}"#)
            }
            log.withLock { $0.append("\(request.path) at \(now.withLock { $0 })") }
            return HTTPResponse(text: "ok")
        }
    }

    func withClock(pipelining: Bool, _ body: (HTTPVirtualTimeline, ClockServer, HTTPServer, String) throws -> Void) throws {
        let clock = ClockServer()
        let server = HTTPServer(handler: clock.respond)
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        let timeline = try HTTPVirtualTimeline.connect(
            to: "http://\(address)/_runtime/clock", timeout: .seconds(5), pipelining: pipelining).get()
        try body(timeline, clock, server, "\(address)")
    }

    @Test func aMessageAndTheAdvanceBehindItAreServedInOrderInOneExchange() throws {
        try withClock(pipelining: true) { timeline, clock, server, authority in
            let piped = try #require(timeline.advance(
                to: .seconds(60), after: HTTPRequest(method: "GET", target: "/echo"), at: authority))
            #expect(try piped.answer.get().bodyText == "ok")
            #expect(throws: Never.self) { try piped.advanced.get() }
            #expect(clock.log.withLock { $0 } == ["/echo at 0", "advance 60000000000"])
            // The advance's answer is the settled one; a plain advance to the same time sends nothing.
            #expect(try timeline.advance(to: .seconds(60)).get() == ())
            #expect(timeline.takeSettledAnswer().map(Self.tenantsLoaded) == 1)
            #expect(timeline.takeSettledAnswer() == nil, "once")
            #expect(clock.log.withLock { $0 }.count == 2)
            // Elsewhere (another host and port) nothing is sent.
            #expect(timeline.advance(to: .seconds(90), after: HTTPRequest(method: "GET", target: "/echo"),
                                     at: "example.invalid:80") == nil)
            #expect(clock.log.withLock { $0 }.count == 2)
            // To the time already reached, the advance behind a request settles what it left.
            let again = try #require(timeline.advance(
                to: .seconds(60), after: HTTPRequest(method: "GET", target: "/echo"), at: authority))
            #expect(throws: Never.self) { try again.advanced.get() }
            #expect(clock.log.withLock { $0 }.suffix(2) == ["/echo at 60000000000", "advance 60000000000"])
            #expect(timeline.takeSettledAnswer() != nil)
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    static func tenantsLoaded(_ answer: ProfileJSON) -> Int? {
        RuntimeStatsReading.decode(answer)?.tenantsLoaded
    }

    @Test func anAdvanceShortOfTheNextDeadlineIsNotSentAndTheRequestCatchesTheClockUp() throws {
        try withClock(pipelining: true) { timeline, clock, server, authority in
            clock.nextDeadline.withLock { $0 = "100000000000" }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(10)).get() }
            _ = timeline.takeSettledAnswer()
            // Short of 100 s nothing is due: settled where it stands, the same answer offered again.
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(40)).get() }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(99)).get() }
            #expect(clock.log.withLock { $0 } == ["advance 10000000000"])
            #expect(timeline.takeSettledAnswer().map(Self.tenantsLoaded) == 1)
            // The request goes with the advance it needs in front: it finds the clock at 99 s.
            let piped = try #require(timeline.advance(
                to: .seconds(120), after: HTTPRequest(method: "GET", target: "/echo"), at: authority))
            #expect(try piped.answer.get().bodyText == "ok")
            #expect(throws: Never.self) { try piped.advanced.get() }
            #expect(clock.log.withLock { $0 } == [
                "advance 10000000000", "advance 99000000000", "/echo at 99000000000", "advance 120000000000",
            ])
            #expect(server.statistics.acceptedConnections == 1)
            // At the deadline itself the advance goes: something fires there.
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(200)).get() }
            #expect(clock.log.withLock { $0 }.last == "advance 200000000000")
        }
    }

    @Test func withoutPipeliningTheCatchUpGoesOnItsOwnAndOnce() throws {
        try withClock(pipelining: false) { timeline, clock, _, _ in
            clock.nextDeadline.withLock { $0 = "null" }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(10)).get() }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(3600)).get() }
            #expect(clock.log.withLock { $0 }.count == 1, "null: nothing is ever due without a request")
            #expect(throws: Never.self) { try timeline.catchUp().get() }
            #expect(throws: Never.self) { try timeline.catchUp().get() }
            #expect(clock.log.withLock { $0 } == ["advance 10000000000", "advance 3600000000000"])
            // A request makes the answer stale: the next advance goes whatever it said.
            timeline.targetWasSent()
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(3700)).get() }
            #expect(clock.log.withLock { $0 }.count == 3)
        }
    }

    @Test func aTargetThatDoesNotSayGetsEveryAdvance() throws {
        try withClock(pipelining: false) { timeline, clock, _, _ in
            let notices = Mutex<[String]>([])
            timeline.onNotice = { notice in notices.withLock { $0.append(notice) } }
            for (seconds, deadline) in [(10, nil), (20, #""soon""#), (30, "-5"), (40, nil)] as [(Int64, String?)] {
                clock.nextDeadline.withLock { $0 = deadline }
                #expect(throws: Never.self) { try timeline.advance(to: .seconds(seconds)).get() }
            }
            #expect(clock.log.withLock { $0 }.count == 4, "absent, not a time, or negative: every advance is sent")
            // A malformed field is named once; an absent one is the protocol's own choice.
            #expect(notices.withLock { $0 }.count == 1)
            #expect(notices.withLock { $0 }.first?.contains(#"next_deadline_ns as "soon""#) == true)
        }
    }

    @Test func aRefusedCatchUpStopsTheNextAdvance() throws {
        try withClock(pipelining: true) { timeline, clock, _, authority in
            clock.nextDeadline.withLock { $0 = "null" }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(10)).get() }
            #expect(throws: Never.self) { try timeline.advance(to: .seconds(50)).get() }
            clock.refuse.withLock { $0 = 50_000_000_000 }
            let piped = try #require(timeline.advance(
                to: .seconds(60), after: HTTPRequest(method: "GET", target: "/echo"), at: authority))
            #expect(throws: (any Error).self) { try piped.advanced.get() }
            let next = timeline.advance(to: .seconds(70))
            guard case .failure(let error) = next else { Issue.record("the refusal was lost"); return }
            #expect(error.description.contains("status 409"))
            #expect(timeline.advance(to: .seconds(80), after: HTTPRequest(method: "GET", target: "/echo"),
                                     at: authority) == nil, "nothing more is pipelined on a clock that failed")
        }
    }

    @Test func withoutPipeliningTheTimelineDeclinesAndSendsNothing() throws {
        try withClock(pipelining: false) { timeline, clock, _, authority in
            #expect(timeline.advance(to: .seconds(60), after: HTTPRequest(method: "GET", target: "/echo"),
                                     at: authority) == nil)
            #expect(clock.log.withLock { $0 }.isEmpty)
        }
    }
}
