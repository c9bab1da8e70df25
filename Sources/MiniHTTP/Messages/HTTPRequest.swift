/// An HTTP/1.x request: what the server hands its handler and what the client sends.
package struct HTTPRequest: Sendable, Equatable {
    /// The method, exactly as sent ("GET", "POST"); methods are case-sensitive.
    package var method: String
    /// The request target as sent, including any query ("/t/acme/svc?x=1").
    package var target: String {
        didSet { (path, query) = Self.split(target: target) }
    }
    /// The target without its query, not percent-decoded ("/t/acme/svc").
    package private(set) var path: String
    /// The text after the first "?", or nil when there is none.
    package private(set) var query: String?
    /// The protocol version the client spoke.
    package var version: HTTPVersion
    /// The header fields in the order received.
    package var headers: HTTPHeaders
    /// The body bytes (empty when there is none).
    package var body: [UInt8]

    /// Creates a request; `path` and `query` are derived from `target`.
    package init(
        method: String = "GET",
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        (self.path, self.query) = Self.split(target: target)
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// Whether the client wants the connection kept open after the response.
    ///
    /// HTTP/1.1 keeps it unless `Connection: close`; HTTP/1.0 closes unless `Connection: keep-alive`.
    package var wantsKeepAlive: Bool {
        if version >= .http1_1 { return !headers.hasToken("close", in: "Connection") }
        return headers.hasToken("keep-alive", in: "Connection")
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD), for handlers that take text.
    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Splits "/a/b?x=1" into "/a/b" and "x=1"; an absolute-form target ("http://h/a")
    /// yields its path so handlers route the same way whichever form a client used.
    static func split(target: String) -> (path: String, query: String?) {
        var pathPart = Substring(target)
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            pathPart = target[..<mark]
            query = String(target[target.index(after: mark)...])
        }
        if pathPart.hasPrefix("http://") || pathPart.hasPrefix("https://") {
            let afterScheme = pathPart[pathPart.index(pathPart.firstIndex(of: ":")!, offsetBy: 3)...]
            pathPart = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        return (String(pathPart), query)
    }
}
