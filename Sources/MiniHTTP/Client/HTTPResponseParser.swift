/// An incremental parser for one HTTP/1.x response at a time, on the client side.
///
/// Handles Content-Length, chunked and close-delimited bodies and caps the total size.
/// Body bytes are moved out of the input buffer as they arrive, so the buffer stays small
/// even for a large response.
struct HTTPResponseParser: Sendable {
    private enum Framing: Equatable, Sendable {
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    private struct Head: Sendable {
        var status: Int
        var reason: String
        var version: HTTPVersion
        var headers: HTTPHeaders
    }

    let maxHeaderBytes: Int
    let maxResponseBytes: Int
    var buffer = InputBuffer()
    private var head: Head?
    private var framing = Framing.untilClose
    private var body: [UInt8] = []
    private var resumeSearchAt = 0

    init(maxHeaderBytes: Int, maxResponseBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxResponseBytes = maxResponseBytes
    }

    /// True once any byte of the current response has been received; before that, a closed
    /// keep-alive connection can be retried safely.
    var hasStarted: Bool { head != nil || buffer.readableCount > 0 }

    /// Whether the connection can carry another request after the completed response.
    private(set) var canReuseConnection = false

    /// Returns the response when complete, nil when more bytes are needed.
    /// `endOfStream` says the server has closed; only a close-delimited body may end that way.
    mutating func next(forHEAD isHEAD: Bool, endOfStream: Bool) throws(HTTPClientError) -> HTTPResponse? {
        while true {
            if head == nil {
                guard try parseHead(forHEAD: isHEAD) else { break }
            }
            guard let current = head else { break }
            guard try readBody(endOfStream: endOfStream) else { break }
            let response = HTTPResponse(status: current.status, reason: current.reason,
                                        headers: current.headers, body: body)
            head = nil
            body = []
            if current.status >= 100 && current.status < 200 { continue }  // interim; the real one follows
            return response
        }
        if endOfStream { throw .connectionClosed }
        return nil
    }

    private mutating func parseHead(forHEAD isHEAD: Bool) throws(HTTPClientError) -> Bool {
        let resumeAt = resumeSearchAt
        let search = buffer.withReadableBytes { HeadScanner.findEnd(in: $0, resumeAt: resumeAt) }
        let headLength: Int
        switch search {
        case .bareLineFeed:
            throw .invalidResponse("lines must end with CRLF")
        case .incomplete(let next):
            resumeSearchAt = next
            if next > maxHeaderBytes { throw .responseTooLarge(limit: maxHeaderBytes) }
            return false
        case .complete(let length):
            headLength = length
        }
        let parsed: Head
        do {
            parsed = try buffer.withReadableBytes { (bytes) throws(HTTPParseError) -> Head in
                try Self.parseHead(UnsafeBufferPointer(rebasing: bytes[0..<(headLength - 4)]))
            }
        } catch {
            throw .invalidResponse(error.message)
        }
        buffer.consume(headLength)
        resumeSearchAt = 0
        head = parsed
        framing = try Self.framing(of: parsed, forHEAD: isHEAD)
        let persistent = parsed.version >= .http1_1
            ? !parsed.headers.hasToken("close", in: "Connection")
            : parsed.headers.hasToken("keep-alive", in: "Connection")
        canReuseConnection = persistent && framing != .untilClose
        return true
    }

    private static func parseHead(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Head {
        var head: Head?
        try HeadScanner.forEachLine(in: bytes) { (line) throws(HTTPParseError) in
            guard head != nil else {
                // "HTTP/1.1 200 OK": version, three-digit status, optional reason.
                let parts = bytes[line].split(separator: UInt8(ascii: " "), maxSplits: 2,
                                              omittingEmptySubsequences: false)
                guard parts.count >= 2, parts[1].count == 3,
                      let status = Int(String(decoding: UnsafeBufferPointer(rebasing: parts[1]), as: UTF8.self)) else {
                    throw .badRequest("malformed status line \(HeadScanner.preview(bytes, line))")
                }
                let version = try HTTPRequestParser.parseVersion(parts[0])
                let reason = parts.count == 3
                    ? String(decoding: UnsafeBufferPointer(rebasing: parts[2]), as: UTF8.self)
                    : ""
                head = Head(status: status, reason: reason, version: version, headers: HTTPHeaders())
                return
            }
            try HeadScanner.parseField(bytes, line: line, into: &head!.headers)
        }
        guard let head else { throw .badRequest("empty response head") }
        return head
    }

    private static func framing(of head: Head, forHEAD isHEAD: Bool) throws(HTTPClientError) -> Framing {
        if isHEAD || !HTTPResponse.statusAllowsBody(head.status) { return .length(remaining: 0) }
        if let encoding = head.headers["Transfer-Encoding"] {
            guard head.headers.hasToken("chunked", in: "Transfer-Encoding") else {
                throw .invalidResponse("unsupported Transfer-Encoding \"\(encoding)\"")
            }
            return .chunkSize
        }
        let lengths = head.headers.values(for: "Content-Length")
        guard let first = lengths.first else { return .untilClose }
        guard lengths.allSatisfy({ $0 == first }), let length = HeadScanner.parseContentLength(first) else {
            throw .invalidResponse("invalid Content-Length \"\(first.prefix(30))\"")
        }
        return .length(remaining: length)
    }

    /// Moves available body bytes out of the buffer; returns true when the body is complete.
    private mutating func readBody(endOfStream: Bool) throws(HTTPClientError) -> Bool {
        while true {
            switch framing {
            case .length(let remaining):
                let available = min(remaining, buffer.readableCount)
                try take(available)
                framing = .length(remaining: remaining - available)
                return remaining == available
            case .untilClose:
                try take(buffer.readableCount)
                return endOfStream
            case .chunkData(let remaining):
                let available = min(remaining, buffer.readableCount)
                try take(available)
                framing = remaining == available ? .chunkDataEnd : .chunkData(remaining: remaining - available)
                if remaining != available { return false }
            case .chunkDataEnd:
                guard let line = try nextLine() else { return false }
                guard line.isEmpty else { throw .invalidResponse("chunk data not followed by CRLF") }
                framing = .chunkSize
            case .chunkSize:
                guard let line = try nextLine() else { return false }
                let digits = line.prefix { $0 != UInt8(ascii: ";") }
                guard let size = Int(String(decoding: trimmed(digits), as: UTF8.self), radix: 16), size >= 0 else {
                    throw .invalidResponse("invalid chunk size")
                }
                framing = size == 0 ? .trailers : .chunkData(remaining: size)
            case .trailers:
                guard let line = try nextLine() else { return false }
                if line.isEmpty { return true }
            }
        }
    }

    /// Appends `count` buffered bytes to the body, enforcing the response cap.
    private mutating func take(_ count: Int) throws(HTTPClientError) {
        guard count > 0 else { return }
        guard body.count + count <= maxResponseBytes else { throw .responseTooLarge(limit: maxResponseBytes) }
        buffer.withReadableBytes { body.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<count])) }
        buffer.consume(count)
    }

    /// Consumes and returns one CRLF-terminated line (without CRLF), or nil if incomplete.
    private mutating func nextLine() throws(HTTPClientError) -> [UInt8]? {
        let limit = maxHeaderBytes
        let found = buffer.withReadableBytes { bytes -> [UInt8]?? in
            guard let feed = bytes.firstIndex(of: HeadScanner.lineFeed) else {
                return bytes.count > limit ? .some(nil) : nil
            }
            guard feed > 0, bytes[feed - 1] == HeadScanner.carriageReturn else { return .some(nil) }
            return .some(Array(bytes[0..<(feed - 1)]))
        }
        guard let found else { return nil }
        guard let line = found else { throw .invalidResponse("malformed chunk framing") }
        buffer.consume(line.count + 2)
        return line
    }
}
