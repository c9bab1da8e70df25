import Glibc
import PosixSupport
import Synchronization
import Testing
@testable import MiniHTTP

/// The event loop with many connections, an inline handler beside blocking ones, and pipelining
/// across the two. Real sockets on 127.0.0.1; no timing is asserted.
@Suite(.timeLimit(.minutes(1)))
struct EventLoopTests {
    @Test func aThousandKeepAliveConnectionsAreServedAtOnceAndStayOpen() throws {
        let configuration = HTTPServerConfiguration(maxConnections: 1_100)
        try withServer(configuration) { (server, address) throws in
            let connections = try (0..<1_000).map { _ in
                try ConnectedSocket.connect(to: address, deadline: .now + .seconds(5))
            }
            defer { for connection in connections { try? connection.close() } }
            // Every connection sends before any reads: all 1,000 are open and owed a response at once.
            for (index, connection) in connections.enumerated() { try connection.sendText(requestHead("/c\(index)")) }
            for (index, connection) in connections.enumerated() {
                let reply = try connection.readResponse()
                #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n") && reply.hasSuffix("ok /c\(index)"), "\(index)")
            }
            // Kept alive: a second round on the same sockets.
            for (index, connection) in connections.enumerated() { try connection.sendText(requestHead("/again\(index)")) }
            for (index, connection) in connections.enumerated() {
                #expect(try connection.readResponse().hasSuffix("ok /again\(index)"))
            }
            #expect(server.statistics.acceptedConnections == 1_000)
            #expect(server.statistics.openConnections == 1_000)
            #expect(server.statistics.evictedConnections == 0 && server.statistics.rejectedConnections == 0)
        }
    }

    @Test func aBlockedHandlerHoldsUpOnlyItsOwnConnection() throws {
        let release = Atomic<Bool>(false)
        defer { release.store(true, ordering: .releasing) }
        let server = HTTPServer(inlineHandler: { request in
            request.path == "/fast" ? HTTPResponse(text: "inline \(request.path)") : nil
        }) { request in
            if request.path == "/slow" { eventually(timeout: .seconds(5)) { release.load(ordering: .acquiring) } }
            return HTTPResponse(text: "pool \(request.path)")
        }
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        let slow = try BackgroundCall { (try? HTTPClient(address: address).get("/slow"))?.bodyText ?? "failed" }
        let client = HTTPClient(address: address)
        for _ in 0..<50 { #expect(try client.get("/fast").bodyText == "inline /fast") }
        #expect(try client.get("/other").bodyText == "pool /other", "a second pool thread starts for it")
        #expect(slow.wait(timeout: .milliseconds(50)) == nil, "still blocked")
        release.store(true, ordering: .releasing)
        #expect(slow.wait() == "pool /slow")
    }

    @Test func pipelinedRequestsMixingInlineAndPoolAnswersStayInOrder() throws {
        let server = HTTPServer(inlineHandler: { request in
            request.path.hasPrefix("/fast") ? HTTPResponse(text: "inline \(request.path)") : nil
        }) { request in
            usleep(20_000)  // a handler thread that takes a while: later requests must wait their turn
            return HTTPResponse(text: "pool \(request.path)")
        }
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        let raw = try RawConnection(address)
        let paths = ["/fast1", "/slow1", "/fast2", "/fast3", "/slow2", "/fast4"]
        try raw.send(paths.map { requestHead($0) }.joined() + requestHead("/end", headers: ["Connection: close"]))
        let replies = Array(try raw.readToEnd().utf8)
        var position = 0
        for path in paths + ["/end"] {
            let expected = Array(((path.hasPrefix("/fast") ? "inline " : "pool ") + path).utf8)
            let found = try #require(replies.index(of: expected, from: position), "\(path) in order")
            position = found + expected.count
        }
        #expect(server.statistics.requestsHandled == paths.count + 1)
    }

    @Test func pipelinedInlineAnswersGoOutTogetherAndNeverWaitForAnUnfinishedRequest() throws {
        let server = HTTPServer(inlineHandler: { HTTPResponse(text: "inline \($0.path)") }) { _ in
            HTTPResponse(text: "pool")
        }
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        let raw = try RawConnection(address)
        // Two whole requests and the start of a third: the two answers go in one send, and at
        // once, not held for the third.
        let third = requestHead("/c")
        try raw.send(requestHead("/a") + requestHead("/b") + third.prefix(10))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = try chunk.withUnsafeMutableBytes { try raw.socket.receive(into: $0, deadline: .now + .seconds(5)) }
        let first = String(decoding: chunk[..<count], as: UTF8.self)
        #expect(first.contains("inline /a") && first.hasSuffix("inline /b"), "one read holds both: \(first)")
        try raw.send(String(third.dropFirst(10)))
        #expect(try raw.socket.readResponse().hasSuffix("inline /c"))
        #expect(server.statistics.requestsHandled == 3)
    }
}

extension ConnectedSocket {
    func sendText(_ text: String) throws {
        try send(Array(text.utf8), deadline: .now + .seconds(5))
    }

    /// Reads one response whose body length is its Content-Length; returns head and body as text.
    func readResponse(timeout: Duration = .seconds(5)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = bytes.index(of: Array("\r\n\r\n".utf8), from: 0) {
                let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
                let field = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                let length = field.flatMap { Int($0.dropFirst("content-length:".count).filter { $0 != " " }) } ?? 0
                if bytes.count - (end + 4) >= length { return String(decoding: bytes, as: UTF8.self) }
            }
            let count = try chunk.withUnsafeMutableBytes { try receive(into: $0, deadline: deadline) }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

extension Array where Element == UInt8 {
    /// Where `pattern` first occurs at or after `start`.
    func index(of pattern: [UInt8], from start: Int) -> Int? {
        guard pattern.count <= count else { return nil }
        return (start...(count - pattern.count)).first { self[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
