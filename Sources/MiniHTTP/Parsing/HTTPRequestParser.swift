/// An incremental HTTP/1.x request parser with size limits.
///
/// Feed it bytes as they arrive (``append(_:)``) and ask for complete requests
/// (``nextRequest()``). Bytes behind a complete request stay buffered, so pipelined requests
/// come out one per call. The search for the end of the head resumes where it stopped, so a
/// head trickling in byte by byte is still scanned once. After an error the parser stays
/// failed: the connection is answered with the error's status and closed.
package struct HTTPRequestParser: Sendable {
    /// Size limits that bound the memory one connection can make the server hold.
    package struct Limits: Sendable, Equatable {
        /// Request line plus header fields, in bytes (431 beyond it).
        package var maxHeaderBytes: Int
        /// Body bytes declared by Content-Length (413 beyond it).
        package var maxBodyBytes: Int

        /// Limits with the defaults: 16 KiB of headers, 1 MiB of body.
        package init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// A parsed head waiting for its body.
    private struct PendingHead: Sendable {
        var method: String
        var target: String
        var version: HTTPVersion
        var headers: HTTPHeaders
        var bodyLength: Int
    }

    /// The limits this parser enforces.
    package let limits: Limits
    var buffer = InputBuffer()
    private var pending: PendingHead?
    private var resumeSearchAt = 0
    private var failure: HTTPParseError?

    /// Creates a parser enforcing `limits`.
    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet returned as part of a request.
    package var bufferedByteCount: Int { buffer.readableCount }

    /// True between requests: nothing buffered and no head waiting for its body.
    package var isBetweenRequests: Bool { pending == nil && buffer.readableCount == 0 }

    /// True when a request's head has arrived and its body has not, all of it.
    var isAwaitingBody: Bool { pending != nil }

    /// How many more bytes the current request needs at least (a hint for read sizes).
    var bytesWanted: Int {
        guard let pending else { return 0 }
        return max(0, pending.bodyLength - buffer.readableCount)
    }

    /// Adds received bytes.
    package mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete request, nil when more bytes are needed, or throws why the
    /// input cannot be a valid request.
    package mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        do {
            return try parseNext()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func parseNext() throws(HTTPParseError) -> HTTPRequest? {
        if pending == nil {
            guard let head = try parseHead() else { return nil }
            pending = head
        }
        guard let head = pending, buffer.readableCount >= head.bodyLength else { return nil }
        let body = head.bodyLength == 0 ? [] : buffer.copyBytes(count: head.bodyLength)
        buffer.consume(head.bodyLength)
        pending = nil
        return HTTPRequest(method: head.method, target: head.target, version: head.version,
                           headers: head.headers, body: body)
    }

    private mutating func parseHead() throws(HTTPParseError) -> PendingHead? {
        skipBlankLines()
        let limits = self.limits
        let resumeAt = resumeSearchAt
        let search = buffer.withReadableBytes { HeadScanner.findEnd(in: $0, resumeAt: resumeAt) }
        switch search {
        case .bareLineFeed:
            throw .badRequest("lines must end with CRLF")
        case .incomplete(let next):
            resumeSearchAt = next
            if next > limits.maxHeaderBytes { throw Self.headerOverflow(limits) }
            return nil
        case .complete(let headLength):
            if headLength > limits.maxHeaderBytes { throw Self.headerOverflow(limits) }
            let head = try buffer.withReadableBytes { (bytes) throws(HTTPParseError) -> PendingHead in
                try Self.parseHead(UnsafeBufferPointer(rebasing: bytes[0..<(headLength - 4)]), limits: limits)
            }
            buffer.consume(headLength)
            resumeSearchAt = 0
            return head
        }
    }

    /// RFC 9112 §2.2: a server should ignore empty lines received before a request line
    /// (some clients send an extra CRLF after a POST body).
    private mutating func skipBlankLines() {
        guard resumeSearchAt == 0 else { return }
        let blank = buffer.withReadableBytes { bytes in
            bytes.prefix { $0 == HeadScanner.carriageReturn || $0 == HeadScanner.lineFeed }.count
        }
        buffer.consume(blank)
    }

    private static func headerOverflow(_ limits: Limits) -> HTTPParseError {
        HTTPParseError(status: 431, message: "request line and headers exceed \(limits.maxHeaderBytes) bytes")
    }

    private static func parseHead(
        _ head: UnsafeBufferPointer<UInt8>,
        limits: Limits
    ) throws(HTTPParseError) -> PendingHead {
        var requestLine: (method: String, target: String, version: HTTPVersion)?
        var headers = HTTPHeaders()
        try HeadScanner.forEachLine(in: head) { (line) throws(HTTPParseError) in
            if requestLine == nil {
                requestLine = try parseRequestLine(head, line: line)
            } else {
                try HeadScanner.parseField(head, line: line, into: &headers)
            }
        }
        guard let requestLine else { throw .badRequest("empty request") }
        try checkHost(in: headers, version: requestLine.version)
        let bodyLength = try bodyLength(of: headers, limits: limits)
        return PendingHead(method: requestLine.method, target: requestLine.target,
                           version: requestLine.version, headers: headers, bodyLength: bodyLength)
    }

    private static func parseRequestLine(
        _ head: UnsafeBufferPointer<UInt8>,
        line: Range<Int>
    ) throws(HTTPParseError) -> (method: String, target: String, version: HTTPVersion) {
        let parts = head[line].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            let shown = HeadScanner.preview(head, line)
            throw .badRequest("malformed request line \(shown); expected METHOD TARGET HTTP/1.1")
        }
        guard parts[0].allSatisfy(HeadScanner.isTokenCharacter) else {
            throw .badRequest("invalid method in request line \(HeadScanner.preview(head, line))")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .badRequest("invalid character in request target")
        }
        let version = try parseVersion(parts[2])
        let method = String(decoding: UnsafeBufferPointer(rebasing: parts[0]), as: UTF8.self)
        let target = String(decoding: UnsafeBufferPointer(rebasing: parts[1]), as: UTF8.self)
        return (method, target, version)
    }

    /// Parses "HTTP/x.y". A well-formed version other than 1.x is a 505, anything else a 400.
    static func parseVersion(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(HTTPParseError) -> HTTPVersion {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self)
        guard text.hasPrefix("HTTP/") else {
            throw .badRequest("malformed HTTP version \"\(text.prefix(20))\"")
        }
        let numbers = text.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2, let major = Int(numbers[0]), let minor = Int(numbers[1]),
              numbers.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.count <= 2 }) else {
            throw .badRequest("malformed HTTP version \"\(text.prefix(20))\"")
        }
        guard major == 1 else {
            throw HTTPParseError(status: 505, message: "\(text) is not supported; this server speaks HTTP/1.1")
        }
        return HTTPVersion(major: major, minor: minor)
    }

    /// RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host, and to
    /// any request with more than one Host or an invalid one. HTTP/1.0 predates Host and may
    /// omit it. Checked here rather than left to handlers, so no route can forget it.
    static func checkHost(in headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) {
        let hosts = headers.values(for: "Host")
        if hosts.isEmpty {
            guard version < .http1_1 else {
                throw .badRequest("\(version) request without a Host header; send one, such as Host: 127.0.0.1:8080")
            }
            return
        }
        guard hosts.count == 1 else { throw .badRequest("more than one Host header") }
        // uri-host [":" port]: a reg-name, IPv4 or [IPv6] (RFC 3986), so no spaces, slashes,
        // "@" or other delimiters; empty is allowed (a target without an authority).
        let valid = hosts[0].utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return Self.otherHostBytes.contains(byte)
            }
        }
        guard valid else { throw .badRequest("invalid Host header \"\(hosts[0].prefix(60))\"") }
    }

    /// RFC 3986 unreserved, sub-delims, "%" of pct-encoded, ":" before a port, "[" "]" around IPv6.
    private static let otherHostBytes = Set("-._~!$&'()*+,;=%:[]".utf8)

    /// The body length the headers declare. Transfer-Encoding (chunked or other) is refused
    /// with 501 rather than read, so a body's size is always known before it is buffered.
    private static func bodyLength(of headers: HTTPHeaders, limits: Limits) throws(HTTPParseError) -> Int {
        if headers.contains("Transfer-Encoding") {
            throw HTTPParseError(status: 501, message: "Transfer-Encoding request bodies (chunked) are not supported; "
                + "send Content-Length")
        }
        let declared = headers.values(for: "Content-Length")
        guard let first = declared.first else { return 0 }
        guard declared.allSatisfy({ $0 == first }) else {
            throw .badRequest("conflicting Content-Length headers")
        }
        guard let length = HeadScanner.parseContentLength(first) else {
            if !first.isEmpty, first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                throw HTTPParseError(status: 413,
                                     message: "body of \(first) bytes exceeds \(limits.maxBodyBytes) bytes")
            }
            throw .badRequest("invalid Content-Length \"\(first.prefix(30))\"")
        }
        if length > limits.maxBodyBytes {
            throw HTTPParseError(status: 413, message: "body of \(length) bytes exceeds \(limits.maxBodyBytes) bytes")
        }
        return length
    }
}
