import Testing
@testable import MiniHTTP

@Suite struct HTTPRequestParserTests {
    private func parse(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws -> HTTPRequest? {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        return try parser.nextRequest()
    }

    private func status(of text: String, limits: HTTPRequestParser.Limits = .init()) -> Int? {
        do {
            _ = try parse(text, limits: limits)
            return nil
        } catch let error as HTTPParseError {
            return error.status
        } catch {
            return -1
        }
    }

    @Test func parsesRequestWithQueryHeadersAndBody() throws {
        let request = try #require(try parse(
            "POST /t/acme/svc/rest?x=1&y=2 HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\nX-Trace:  abc \r\n\r\nhello"
        ))
        #expect(request.method == "POST")
        #expect(request.target == "/t/acme/svc/rest?x=1&y=2")
        #expect(request.path == "/t/acme/svc/rest")
        #expect(request.query == "x=1&y=2")
        #expect(request.version == .http1_1)
        #expect(request.headers["X-TRACE"] == "abc")
        #expect(request.headers["Content-Length"] == "5")
        #expect(request.bodyText == "hello")
        #expect(request.wantsKeepAlive)
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")?.wantsKeepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\n\r\n")?.wantsKeepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.wantsKeepAlive == true)
    }

    @Test func pipelinedRequestsComeOutOneAtATime() throws {
        var parser = HTTPRequestParser()
        let pipelined = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok"
            + "GET /c HT"
        parser.append(Array(pipelined.utf8))
        #expect(try parser.nextRequest()?.path == "/a")
        let second = try #require(try parser.nextRequest())
        #expect(second.path == "/b" && second.bodyText == "ok")
        #expect(try parser.nextRequest() == nil)
        #expect(parser.bufferedByteCount == "GET /c HT".utf8.count)
        parser.append(Array("TP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(try parser.nextRequest()?.path == "/c")
        #expect(parser.isBetweenRequests)
    }

    @Test func requestSplitAcrossReadsByteByByte() throws {
        var parser = HTTPRequestParser()
        let bytes = Array("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nA: b\r\n\r\nxyz".utf8)
        for (index, byte) in bytes.enumerated() {
            parser.append([byte])
            let request = try parser.nextRequest()
            if index < bytes.count - 1 {
                #expect(request == nil)
            } else {
                #expect(request?.bodyText == "xyz")
                #expect(request?.headers["a"] == "b")
            }
        }
    }

    @Test func leadingBlankLinesAreIgnored() throws {
        #expect(try parse("\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\n\r\n")?.path == "/ok")
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / HTTX/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\n folded: x\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n",
        "GET / HTTP/1.1\n\n",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    ])
    func malformedInputIsBadRequest(_ text: String) {
        #expect(status(of: text) == 400)
    }

    @Test func http11WithoutHostIs400WithAMessage() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /t/a/b HTTP/1.1\r\nAccept: */*\r\n\r\n".utf8))
        #expect(throws: HTTPParseError(
            status: 400,
            message: "HTTP/1.1 request without a Host header; send one, such as Host: 127.0.0.1:8080")) {
            try parser.nextRequest()
        }
    }

    @Test func http10MayOmitHost() throws {
        #expect(try parse("GET /old HTTP/1.0\r\n\r\n")?.path == "/old")
        #expect(try parse("GET /old HTTP/1.0\r\nHost: h\r\n\r\n")?.headers["host"] == "h")
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@evil\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    ])
    func repeatedOrInvalidHostIs400(_ text: String) {
        #expect(status(of: text) == 400)
    }

    @Test(arguments: ["127.0.0.1:8080", "localhost", "[::1]:80", "xn--bcher-kva.example", ""])
    func usualHostsAreAccepted(_ host: String) throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")?.headers["Host"] == host)
    }

    @Test func oversizeHeadersAre431() {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 1024)
        let big = "GET / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 2000))\r\n\r\n"
        #expect(status(of: big, limits: limits) == 431)
        // Without the terminating blank line the limit must still fire, or a client could
        // make the server buffer forever.
        let endless = "GET / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 2000))"
        #expect(status(of: endless, limits: limits) == 431)
        let fits = "GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "a", count: 900))\r\n\r\n"
        #expect(status(of: fits, limits: limits) == nil)
    }

    @Test func oversizeBodyIs413BeforeTheBodyArrives() {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 100)
        #expect(status(of: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", limits: limits) == 413)
        #expect(status(of: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413)
    }

    @Test func chunkedBodyIs501() {
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        #expect(status(of: chunked) == 501)
    }

    @Test func otherMajorVersionIs505() {
        #expect(status(of: "GET / HTTP/2.0\r\n\r\n") == 505)
        #expect(status(of: "GET / HTTP/0.9\r\n\r\n") == 505)
    }

    @Test func failedParserStaysFailed() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
    }

    @Test func errorCarriesStatusAndReadableMessage() {
        let error = HTTPParseError(status: 431, message: "request line and headers exceed 16384 bytes")
        #expect(error.description == "431 Request Header Fields Too Large: request line and headers exceed 16384 bytes")
        #expect(error.response.status == 431)
        #expect(error.response.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test func absoluteFormTargetYieldsPath() {
        let request = HTTPRequest(target: "http://127.0.0.1:8080/_runtime/health?full")
        #expect(request.path == "/_runtime/health")
        #expect(request.query == "full")
    }
}

@Suite struct HTTPHeadersTests {
    @Test func lookupIsCaseInsensitiveAndOrderIsKept() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-One": "1"]
        headers.add(name: "x-one", value: "2")
        #expect(headers["content-type"] == "a")
        #expect(headers.values(for: "X-ONE") == ["1", "2"])
        headers["X-One"] = "3"
        #expect(headers.values(for: "x-one") == ["3"])
        #expect(headers.map(\.name) == ["Content-Type", "X-One"])
        headers["content-TYPE"] = nil
        #expect(headers.count == 1)
        #expect(!HTTPHeaders.namesMatch("a-b", "a\rb"))
    }

    @Test func tokensInCommaSeparatedValues() {
        let headers: HTTPHeaders = ["Connection": "Upgrade, Keep-Alive"]
        #expect(headers.hasToken("keep-alive", in: "connection"))
        #expect(!headers.hasToken("close", in: "connection"))
    }
}
