import MiniHTTP
import SoakProfiles

/// Fetches one range query from a Prometheus server over the package's own HTTP client: plain
/// HTTP, the host resolved as every other program resolves it, one wall-clock timeout.
package enum RangeQueryClient {
    /// Parses `--prometheus`: `http://HOST:PORT[/prefix]`; https is refused with what to do instead.
    package static func server(_ text: String) throws(RangeQueryError) -> HTTPURL {
        if text.lowercased().hasPrefix("https://") {
            throw RangeQueryError(.usage, "--prometheus \(ProfileJSON.quoted(text)): https is not supported (TLS would "
                + "need packages beyond the Swift toolchain); reach the server over plain HTTP, for example through a "
                + "tunnel: ssh -L 9090:localhost:9090 HOST, then --prometheus http://127.0.0.1:9090")
        }
        do {
            var url = try HTTPURL.parse(text, role: .base)
            if url.path.hasSuffix("/") { url.path.removeLast() }
            return url
        } catch {
            throw RangeQueryError(.usage, "--prometheus: \(error)")
        }
    }

    /// Sends the query and parses the answer (also an error status's JSON body, which says why).
    package static func fetch(
        _ query: RangeQuery, timeout: Duration = .seconds(30)
    ) throws(RangeQueryError) -> RangeQueryResponse.Result {
        let server = "http://\(query.server.authority)\(query.server.path)"
        let addresses: [NetworkAddress]
        do {
            addresses = try HostResolver.resolve(host: query.server.host, port: UInt16(query.server.port))
        } catch {
            throw RangeQueryError(.usage, "cannot resolve the Prometheus server \(server): \(error)")
        }
        let client = HTTPClient(
            addresses: addresses, host: query.server.authority,
            configuration: .init(timeout: timeout, maxResponseBytes: 256 << 20))
        defer { client.close() }
        var request = HTTPRequest(method: "GET", target: query.requestTarget)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch {
            throw RangeQueryError(.usage, "cannot query the Prometheus server \(server): \(error)")
        }
        if let encoding = response.headers["Content-Encoding"], encoding.lowercased() != "identity" {
            throw RangeQueryError(.usage, "\(server) answered \(encoding)-compressed, which soak does not read")
        }
        do {
            return try RangeQueryResponse.parse(response.body, status: response.status)
        } catch {
            throw RangeQueryError(error.kind, "\(server)/api/v1/query_range: \(error.description)")
        }
    }
}
