import Glibc
import Synchronization
import Testing
@testable import MiniHTTP

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test func timeoutThrowsTimedOutAndTheNextRequestReconnects() throws {
        // The slow handler waits for the test to release it (at most 5 s), so shutdown
        // does not sit out a fixed sleep.
        let release = Atomic<Bool>(false)
        defer { release.store(true, ordering: .releasing) }
        try withServer(handler: { request in
            if request.path == "/sleep" {
                eventually(timeout: .seconds(5)) { release.load(ordering: .acquiring) }
            }
            return HTTPResponse(text: "ok")
        }) { (_, address) throws in
            // A second, not 200 ms: on a loaded 2-core runner the fast requests alone took longer.
            // Only the lower bound is the client's; the upper one just says it did not hang.
            let client = HTTPClient(address: address, configuration: .init(timeout: .seconds(1)))
            #expect(try client.get("/fast").status == 200)
            let start = ContinuousClock.now
            #expect(throws: HTTPClientError.timedOut) { try client.get("/sleep") }
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(990) && waited < .seconds(30))
            #expect(try client.get("/fast").bodyText == "ok")
            #expect(client.connectionsOpened == 2)
            release.store(true, ordering: .releasing)
        }
    }

    @Test func reconnectsWhenTheServerClosedAnIdleKeepAliveConnection() throws {
        let configuration = HTTPServerConfiguration(idleTimeout: .milliseconds(100))
        try withServer(configuration) { (server, address) throws in
            let client = HTTPClient(address: address)
            #expect(try client.get("/first").status == 200)
            #expect(eventually { server.statistics.idleTimeouts == 1 && server.statistics.openConnections == 0 })
            #expect(try client.get("/second").bodyText == "ok /second")
            #expect(client.connectionsOpened == 2)
            #expect(server.statistics.acceptedConnections == 2)
        }
    }

    @Test func followsConnectionCloseFromTheServer() throws {
        let closing: HTTPServer.Handler = { _ in HTTPResponse(text: "bye", headers: ["Connection": "close"]) }
        try withServer(handler: closing) { (server, address) throws in
            let client = HTTPClient(address: address)
            #expect(try client.get("/a").headers["Connection"] == "close")
            #expect(try client.get("/b").bodyText == "bye")
            #expect(client.connectionsOpened == 2)
            #expect(server.statistics.acceptedConnections == 2)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws {
        let order = Mutex<[String]>([])
        let handler: HTTPServer.Handler = { request in
            order.withLock { $0.append(request.path) }
            return HTTPResponse(text: "\(request.method) \(request.path) \(request.bodyText)")
        }
        try withServer(handler: handler) { (server, address) throws in
            let client = HTTPClient(address: address)
            for round in 0..<3 {
                let (first, second) = try client.send(
                    HTTPRequest(method: "GET", target: "/first/\(round)"),
                    followedBy: HTTPRequest(method: "POST", target: "/second/\(round)", body: Array("b\(round)".utf8)))
                #expect(first.bodyText == "GET /first/\(round) ")
                #expect(try second.get().bodyText == "POST /second/\(round) b\(round)")
            }
            #expect(order.withLock { $0 } == ["/first/0", "/second/0", "/first/1", "/second/1", "/first/2", "/second/2"])
            // A HEAD's answer has a Content-Length but no body: the next answer starts right after
            // its head (a profile's last request may be a HEAD, with the advance behind it).
            let (head, after) = try client.send(
                HTTPRequest(method: "HEAD", target: "/head"), followedBy: HTTPRequest(method: "GET", target: "/after"))
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(try after.get().bodyText == "GET /after ")
            #expect(client.connectionsOpened == 1)
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    @Test func aPipelinedSecondRequestAfterAClosingAnswerFailsAndTheNextReconnects() throws {
        let closing: HTTPServer.Handler = { request in
            HTTPResponse(text: request.path, headers: request.path == "/close" ? ["Connection": "close"] : [:])
        }
        try withServer(handler: closing) { (server, address) throws in
            let client = HTTPClient(address: address)
            let (first, second) = try client.send(
                HTTPRequest(method: "GET", target: "/close"), followedBy: HTTPRequest(method: "GET", target: "/lost"))
            #expect(first.bodyText == "/close")
            #expect(throws: HTTPClientError.connectionClosed) { try second.get() }
            #expect(try client.get("/again").bodyText == "/again")
            #expect(client.connectionsOpened == 2)
        }
    }

    @Test func refusedConnectionIsASystemError() throws {
        // Bind then close to find a port nothing listens on.
        let listener = try ListeningSocket.bind(to: .loopback())
        let address = listener.localAddress
        try listener.close()
        do {
            _ = try HTTPClient(address: address).get("/")
            Issue.record("expected a refused connection")
        } catch let error as HTTPClientError {
            guard case .system(let systemError) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(systemError.errno == ECONNREFUSED)
            #expect(error.description.hasPrefix("connect 127.0.0.1:\(address.port): Connection refused"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func oneShotGetByURL() throws {
        try withServer { (server, address) throws in
            let response = try HTTPClient.get(url: "http://\(address)/_runtime/health")
            #expect(response.bodyText == "ok /_runtime/health")
            #expect(eventually { server.statistics.openConnections == 0 })
        }
        #expect(throws: HTTPClientError.self) { try HTTPClient.get(url: "https://127.0.0.1/") }
        #expect(throws: HTTPClientError.self) { try HTTPClient.get(url: "http://example.com/") }
    }

    @Test func sendsHostOnEveryRequest() throws {
        let echoHost: HTTPServer.Handler = { request in
            HTTPResponse(text: request.headers.values(for: "Host").joined(separator: ","))
        }
        try withServer(handler: echoHost) { (_, address) throws in
            let client = HTTPClient(address: address)
            #expect(try client.get("/a").bodyText == "\(address)")
            #expect(try client.send(HTTPRequest(method: "POST", target: "/b")).bodyText == "\(address)")
            #expect(try client.get("/c", headers: ["Host": "tenant.example"]).bodyText == "tenant.example",
                    "a caller's Host is kept, not doubled")
            #expect(try HTTPClient.get(url: "http://\(address)/d").bodyText == "\(address)")
        }
    }

    @Test func parsesURLs() throws {
        let (address, target) = try HTTPClient.parse(url: "http://localhost:8080")
        #expect(address.description == "127.0.0.1:8080" && target == "/")
        let (other, query) = try HTTPClient.parse(url: "http://10.0.0.1/a?b=c")
        #expect(other.port == 80 && query == "/a?b=c")
    }

    @Test func largeBodiesBothWays() throws {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 4 << 20)
        try withServer(HTTPServerConfiguration(limits: limits), handler: { request in
            HTTPResponse(body: request.body + request.body)
        }) { (_, address) throws in
            let payload = (0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let client = HTTPClient(address: address)
            let response = try client.send(HTTPRequest(method: "PUT", target: "/big", body: payload))
            #expect(response.body.count == payload.count * 2)
            #expect(response.body == payload + payload)
            let capped = HTTPClient(address: address, configuration: .init(maxResponseBytes: 1 << 20))
            #expect(throws: HTTPClientError.responseTooLarge(limit: 1 << 20)) {
                try capped.send(HTTPRequest(method: "PUT", target: "/big", body: payload))
            }
        }
    }
}

@Suite struct HTTPResponseParserTests {
    private func parse(_ chunks: [String], endOfStream: Bool = false, head: Bool = false) throws -> HTTPResponse? {
        var parser = HTTPResponseParser(maxHeaderBytes: 1024, maxResponseBytes: 100)
        var response: HTTPResponse?
        for (index, chunk) in chunks.enumerated() {
            parser.buffer.append(contentsOf: Array(chunk.utf8))
            let last = index == chunks.count - 1
            response = try parser.next(forHEAD: head, endOfStream: last && endOfStream)
            if !last { #expect(response == nil) }
        }
        return response
    }

    @Test func contentLengthBody() throws {
        let response = try #require(try parse(["HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhel", "lo"]))
        #expect(response.status == 201 && response.reason == "Created" && response.bodyText == "hello")
    }

    @Test func chunkedBodyAcrossReads() throws {
        let chunks = ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWi", "ki\r\n5;ext=1\r\npedia\r",
                      "\n0\r\nTrailer: x\r\n", "\r\n"]
        #expect(try parse(chunks)?.bodyText == "Wikipedia")
    }

    @Test func closeDelimitedBody() throws {
        #expect(try parse(["HTTP/1.0 200 OK\r\n\r\nuntil", " close"]) == nil)
        #expect(try parse(["HTTP/1.0 200 OK\r\n\r\nuntil", " close"], endOfStream: true)?.bodyText == "until close")
    }

    @Test func interimAndBodylessResponses() throws {
        let response = try parse(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"])
        #expect(response?.status == 204)
        #expect(try parse(["HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"], head: true)?.body == [])
    }

    @Test func refusesBadOrOversizeResponses() {
        #expect(throws: HTTPClientError.responseTooLarge(limit: 100)) {
            try parse(["HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n\(String(repeating: "a", count: 101))"])
        }
        #expect(throws: HTTPClientError.self) { try parse(["SMTP ready\r\n\r\n"]) }
        #expect(throws: HTTPClientError.connectionClosed) {
            try parse(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], endOfStream: true)
        }
    }
}
