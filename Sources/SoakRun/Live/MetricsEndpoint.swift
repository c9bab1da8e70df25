import SoakUnits
import MiniHTTP

/// `soak run --metrics-listen HOST:PORT`: serves `GET /metrics` (Prometheus text format) from the
/// run's monitor, on MiniHTTP's own threads, so a scrape never touches the driver's thread.
package final class MetricsEndpoint: Sendable {
    private let server: HTTPServer
    /// The address listened on (port 0 resolved).
    package let address: SocketAddress

    private init(server: HTTPServer, address: SocketAddress) {
        self.server = server
        self.address = address
    }

    /// Parses `--metrics-listen`'s value, with a message naming the flag when it is not an address.
    package static func parse(_ text: String) throws(MetricsEndpointError) -> SocketAddress {
        do {
            return try SocketAddress(parsing: text)
        } catch {
            throw MetricsEndpointError("run: --metrics-listen: \(error.description) (port 0 picks a free port)")
        }
    }

    /// Starts serving `monitor`'s snapshot at `address`; throws a message naming the address when
    /// it cannot listen there (in use, not an address of this machine).
    package static func start(at address: SocketAddress, monitor: RunMonitor) throws(MetricsEndpointError) -> MetricsEndpoint {
        // A scraper or two, and people with curl: a few connections, closed when idle.
        let configuration = HTTPServerConfiguration(address: address, maxConnections: 16, idleTimeout: .seconds(30))
        let server = HTTPServer(configuration: configuration) { request in
            respond(to: request, monitor: monitor)
        }
        do {
            return MetricsEndpoint(server: server, address: try server.start())
        } catch {
            throw MetricsEndpointError("run: --metrics-listen: cannot listen on \(address): \(error)")
        }
    }

    /// Checks that `address` can be listened on now (for `--detach`, whose run binds it later):
    /// binds and closes at once. Port 0 always can.
    package static func checkAvailable(_ address: SocketAddress) throws(MetricsEndpointError) {
        guard address.port != 0 else { return }
        let server = HTTPServer(configuration: HTTPServerConfiguration(address: address)) { _ in HTTPResponse() }
        do {
            try server.start()
        } catch {
            throw MetricsEndpointError("run: --metrics-listen: cannot listen on \(address): \(error)")
        }
        server.shutdown(graceWall: .zero)
    }

    /// Stops serving; a scrape in flight gets a second to finish.
    package func shutdown() {
        server.shutdown(graceWall: .seconds(1))
    }

    static func respond(to request: HTTPRequest, monitor: RunMonitor) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return HTTPResponse(status: 405, text: "only GET is served\n", headers: ["Allow": "GET, HEAD"])
        }
        switch request.path {
        case "/metrics":
            guard let status = monitor.snapshot() else {
                return HTTPResponse(status: 503, text: "the run has not started yet\n")
            }
            return HTTPResponse(
                status: 200, headers: ["Content-Type": PrometheusText.contentType],
                body: Array(RunMetricsPage.render(status).utf8))
        case "/":
            return HTTPResponse(text: "soak run \(monitor.folder.path): metrics at /metrics\n")
        default:
            return HTTPResponse(status: 404, text: "not found: \(request.path) (metrics are at /metrics)\n")
        }
    }
}

/// Why `--metrics-listen` cannot be served: the flag's value, and what is wrong with it.
package struct MetricsEndpointError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
