import MiniHTTP
import Synchronization
import Testing
@testable import SoakRun

/// `HTTPVirtualTimeline` against a loopback server that keeps a clock the way tenantd's port does.
@Suite struct VirtualTimelineTests {
    /// A server with a stepped clock at `/_runtime/clock` and an `/echo` path, logging what it
    /// serves in order with the connection count at that moment.
    final class ClockServer: Sendable {
        let log = Mutex<[String]>([])
        let now = Mutex<Int64>(0)

        func respond(_ request: HTTPRequest) -> HTTPResponse {
            if request.path == "/_runtime/clock" {
                if request.method == "GET" { return HTTPResponse(text: #"{"clock":"stepped","now_ns":0}"#) }
                let target = Int64(request.query?.split(separator: "=").last ?? "") ?? -1
                now.withLock { $0 = target }
                log.withLock { $0.append("advance \(target)") }
                return HTTPResponse(text: #"{"now_ns":\#(target),"tenants_loaded":1}"#)
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
            #expect(timeline.takeSettledAnswer().map { String(decoding: $0, as: UTF8.self) }?.contains("tenants_loaded") == true)
            #expect(clock.log.withLock { $0 }.count == 2)
            // Elsewhere (another host and port), or to the time already reached, nothing is sent.
            #expect(timeline.advance(to: .seconds(90), after: HTTPRequest(method: "GET", target: "/echo"),
                                     at: "example.invalid:80") == nil)
            #expect(timeline.advance(to: .seconds(60), after: HTTPRequest(method: "GET", target: "/echo"),
                                     at: authority) == nil)
            #expect(clock.log.withLock { $0 }.count == 2)
            #expect(server.statistics.acceptedConnections == 1)
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
