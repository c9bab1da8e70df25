/// One-shot requests by URL, for callers that hold no client.
extension HTTPClient {
    /// One request on a fresh connection to an "http://host:port/path" URL; throws ``HTTPClientError``.
    package static func get(
        url: String,
        timeout: Duration = .seconds(10),
        headers: HTTPHeaders = HTTPHeaders()
    ) throws -> HTTPResponse {
        let (address, target) = try parse(url: url)
        let client = HTTPClient(address: address, configuration: Configuration(timeout: timeout))
        defer { client.close() }
        var request = HTTPRequest(method: "GET", target: target, headers: headers)
        request.headers.replaceOrAdd(name: "Connection", value: "close")
        return try client.send(request)
    }

    /// Splits "http://127.0.0.1:8080/a?b" into its address and "/a?b" (port 80 by default).
    static func parse(url: String) throws(HTTPClientError) -> (SocketAddress, String) {
        guard url.hasPrefix("http://") else { throw .invalidURL("\"\(url)\": expected http://HOST:PORT/PATH") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        let text = authority.contains(":") ? authority : authority + ":80"
        do {
            return (try SocketAddress(parsing: text), target)
        } catch {
            throw .invalidURL("\"\(url)\": \(error.reason)")
        }
    }
}
