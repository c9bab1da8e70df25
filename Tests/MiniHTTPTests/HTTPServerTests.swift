import Glibc
import Synchronization
import Testing
@testable import MiniHTTP

@Suite(.timeLimit(.minutes(1)))
struct HTTPServerTests {
    @Test func roundTripOnPortZero() throws {
        try withServer(handler: { request in
            var headers: HTTPHeaders = ["X-Method": request.method]
            headers.add(name: "X-Query", value: request.query ?? "-")
            return HTTPResponse(text: "\(request.path):\(request.bodyText)", headers: headers)
        }) { (_, address) throws in
            #expect(address.port != 0)
            #expect(address.host == "127.0.0.1")
            let client = HTTPClient(address: address)
            let got = try client.get("/t/acme/svc?x=1")
            #expect(got.status == 200 && got.reason == "OK")
            #expect(got.bodyText == "/t/acme/svc:")
            #expect(got.headers["x-query"] == "x=1")
            #expect(got.headers["Content-Type"] == "text/plain; charset=utf-8")
            let posted = try client.send(HTTPRequest(method: "POST", target: "/p", body: Array("data".utf8)))
            #expect(posted.bodyText == "/p:data")
            #expect(posted.headers["X-Method"] == "POST")
            let head = try client.send(HTTPRequest(method: "HEAD", target: "/h"))
            #expect(head.body.isEmpty && head.headers["Content-Length"] == "3")
            #expect(try client.get("/after-head").bodyText == "/after-head:")
        }
    }

    @Test func keepAliveReusesOneConnection() throws {
        try withServer { (server, address) throws in
            let client = HTTPClient(address: address)
            for index in 0..<200 {
                let text = try client.get("/\(index)").bodyText
                #expect(text == "ok /\(index)")
            }
            #expect(client.connectionsOpened == 1)
            #expect(server.statistics.acceptedConnections == 1)
            #expect(eventually { server.statistics.requestsHandled == 200 })
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { (_, address) throws in
            let raw = try RawConnection(address)
            try raw.send(requestHead("/a") + requestHead("/b", headers: ["Connection: close"]))
            let text = try raw.readToEnd()
            let first = try #require(text.firstRange(of: "ok /a"))
            let second = try #require(text.firstRange(of: "ok /b"))
            #expect(first.upperBound < second.lowerBound)
            #expect(text.contains("Connection: close"))
        }
    }

    @Test func http11WithoutHostGets400AndHttp10WithoutHostIsServed() throws {
        try withServer { (server, address) throws in
            let bare = try RawConnection(address)
            try bare.send("GET /t/a/b HTTP/1.1\r\nAccept: */*\r\n\r\n")
            let refused = try bare.readToEnd()
            #expect(refused.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "got \(refused.prefix(80))")
            #expect(refused.hasSuffix(
                "HTTP/1.1 request without a Host header; send one, such as Host: 127.0.0.1:8080\n"))
            #expect(server.statistics.requestsHandled == 0, "the handler never saw it")
            let old = try RawConnection(address)
            try old.send("GET /old HTTP/1.0\r\n\r\n")
            #expect(try old.readToEnd().hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test func http10ClosesUnlessKeepAliveRequested() throws {
        try withServer { (_, address) throws in
            let raw = try RawConnection(address)
            try raw.send("GET /old HTTP/1.0\r\n\r\n")
            let text = try raw.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.hasSuffix("ok /old"))
        }
    }

    @Test(arguments: [
        ("NONSENSE\r\n\r\n", "HTTP/1.1 400 "),
        ("GET / HTTP/2.0\r\n\r\n", "HTTP/1.1 505 "),
        (requestHead("/", method: "POST", headers: ["Transfer-Encoding: chunked"]) + "0\r\n\r\n", "HTTP/1.1 501 "),
        (requestHead("/", headers: ["X: \(String(repeating: "x", count: 20_000))"]), "HTTP/1.1 431 "),
        (requestHead("/", method: "POST", headers: ["Content-Length: 2000000"]), "HTTP/1.1 413 "),
        ("\u{0}\u{1}\u{2}\u{FF}\r\n\r\n", "HTTP/1.1 400 "),
        ("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", "HTTP/1.1 400 "),
    ])
    func malformedInputGetsAnErrorAndTheServerCarriesOn(input: String, expected: String) throws {
        try withServer { (server, address) throws in
            let raw = try RawConnection(address)
            try raw.send(input)
            let text = try raw.readToEnd()
            #expect(text.hasPrefix(expected), "got \(text.prefix(80))")
            #expect(text.contains("Connection: close"))
            #expect(server.statistics.malformedRequests == 1)
            #expect(try HTTPClient(address: address).get("/next").bodyText == "ok /next")
        }
    }

    @Test func onlyAFullTableOfBusyHandlersGets503() throws {
        let entered = Atomic<Bool>(false)
        let release = Atomic<Bool>(false)
        defer { release.store(true, ordering: .releasing) }
        try withServer(HTTPServerConfiguration(maxConnections: 1), handler: { request in
            if request.path == "/slow" {
                entered.store(true, ordering: .releasing)
                eventually(timeout: .seconds(3)) { release.load(ordering: .acquiring) }
            }
            return HTTPResponse(text: "ok \(request.path)")
        }) { (server, address) throws in
            let slow = try BackgroundCall { (try? HTTPClient(address: address).get("/slow"))?.status ?? -1 }
            #expect(eventually { entered.load(ordering: .acquiring) })
            let refused = try HTTPClient(address: address).get("/two")
            #expect(refused.status == 503)
            #expect(refused.bodyText == "all 1 connections are handling requests; retry later\n")
            #expect(server.statistics.rejectedConnections == 1)
            release.store(true, ordering: .releasing)
            #expect(slow.wait() == 200, "the busy connection is never evicted")
            // Its client has closed; once the server has seen that, the slot is free again.
            #expect(eventually { server.statistics.openConnections == 0 })
            #expect(try HTTPClient(address: address).get("/again").status == 200)
        }
    }

    @Test func aNewcomerEvictsTheLongestIdleKeepAliveConnection() throws {
        try withServer(HTTPServerConfiguration(maxConnections: 2)) { (server, address) throws in
            let first = HTTPClient(address: address), second = HTTPClient(address: address)
            #expect(try first.get("/one").status == 200)
            #expect(try second.get("/two").status == 200)
            #expect(eventually { server.statistics.requestsHandled == 2 }, "both idle now")
            #expect(try HTTPClient(address: address).get("/three").status == 200)
            #expect(server.statistics.evictedConnections == 1)
            #expect(server.statistics.rejectedConnections == 0)
            // The evicted one was idle, so its client reconnects without noticing.
            #expect(try first.get("/one-again").bodyText == "ok /one-again")
            #expect(first.connectionsOpened == 2 && second.connectionsOpened == 1)
        }
    }

    @Test func idleConnectionIsClosedAfterTheTimeout() throws {
        let configuration = HTTPServerConfiguration(idleTimeout: .milliseconds(200))
        try withServer(configuration) { (server, address) throws in
            let raw = try RawConnection(address)
            let start = ContinuousClock.now
            #expect(try raw.readToEnd(timeout: .seconds(3)) == "")
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(150) && waited < .seconds(2))
            #expect(eventually { server.statistics.openConnections == 0 })
            #expect(server.statistics.idleTimeouts == 1)
        }
    }

    @Test func shutdownLetsAnInFlightRequestFinish() throws {
        let entered = Atomic<Bool>(false)
        let server = HTTPServer { request in
            if request.path == "/slow" {
                entered.store(true, ordering: .releasing)
                usleep(300_000)
            }
            return HTTPResponse(text: "done \(request.path)")
        }
        let address = try server.start()
        let idle = HTTPClient(address: address)
        #expect(try idle.get("/warm").status == 200)
        let slow = try BackgroundCall { () -> Result<HTTPResponse, HTTPClientError> in
            Result { () throws(HTTPClientError) in
                do { return try HTTPClient(address: address).get("/slow") } catch { throw error as! HTTPClientError }
            }
        }
        #expect(eventually { entered.load(ordering: .acquiring) })
        let start = ContinuousClock.now
        server.shutdown(graceWall: .seconds(5))
        let took = ContinuousClock.now - start
        let response = try #require(slow.wait()).get()
        #expect(response.bodyText == "done /slow")
        #expect(response.headers["Connection"] == "close")
        #expect(took < .seconds(3))
        #expect(server.statistics.openConnections == 0)
        #expect(throws: HTTPClientError.self) { try HTTPClient(address: address).get("/late") }
    }

    @Test func shutdownOfAnIdleServerIsPrompt() throws {
        let server = HTTPServer { _ in HTTPResponse(text: "ok") }
        let address = try server.start()
        let client = HTTPClient(address: address)
        #expect(try client.get("/").status == 200)
        let start = ContinuousClock.now
        server.shutdown(graceWall: .seconds(5))
        #expect(ContinuousClock.now - start < .seconds(1))
        server.shutdown()  // a second call is harmless
    }
}
