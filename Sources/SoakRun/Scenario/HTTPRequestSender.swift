import MiniHTTP
import PosixSupport

/// Sends scenario requests over one keep-alive connection, each bounded by a wall-clock timeout.
/// A timeout or a reset is recorded as a failed request; the next request reconnects.
package final class HTTPRequestSender: RequestSending {
    private let client: HTTPClient

    package init(baseURL: String, timeout: Duration) throws(SupervisorError) {
        guard let address = HTTPRequestSender.address(of: baseURL) else {
            throw SupervisorError("cannot use \"\(baseURL)\" as a base URL; expected http://127.0.0.1:PORT")
        }
        client = HTTPClient(address: address, configuration: .init(timeout: timeout))
    }

    deinit { client.close() }

    package func send(path: String) -> RequestOutcome {
        let started = MonotonicClock.now
        do {
            let response = try client.get(path)
            return RequestOutcome(
                status: response.status, latencyMilliseconds: (MonotonicClock.now - started).secondsValue * 1000,
                tenantWas: response.headers["X-Tenant-Was"], artifactWas: response.headers["X-Artifact-Was"])
        } catch {
            let latency = (MonotonicClock.now - started).secondsValue * 1000
            return RequestOutcome(status: nil, failure: "\(error)", latencyMilliseconds: latency)
        }
    }

    /// Fetches `path` and returns the body of a 2xx answer; for the stats endpoint.
    package func fetchBody(path: String) -> [UInt8]? {
        guard let response = try? client.get(path), (200..<300).contains(response.status) else { return nil }
        return response.body
    }

    /// `http://HOST:PORT[/...]` → the socket address.
    static func address(of url: String) -> SocketAddress? {
        guard url.hasPrefix("http://") else { return nil }
        let hostPort = url.dropFirst(7).prefix { $0 != "/" }
        return try? SocketAddress(parsing: String(hostPort))
    }
}
