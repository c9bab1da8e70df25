import Glibc
import PosixSupport
import Synchronization

/// A blocking HTTP/1.1 client holding one keep-alive connection to one server.
///
///     let client = HTTPClient(address: try SocketAddress(parsing: "127.0.0.1:8080"))
///     let response = try client.get("/_runtime/stats")
///
/// Every request has a wall-clock timeout covering connect, send and receive; on timeout
/// the connection is dropped (its late response must not be read as the next one's) and
/// ``HTTPClientError/timedOut`` is thrown. If a reused connection turns out to have been
/// closed by the server before any response byte arrived, the request is sent once more on
/// a fresh connection; this also retries non-idempotent methods, which suits the harness.
///
/// Thread-safe: a Mutex serialises requests, so concurrent callers wait for each other.
/// For parallel load use one client per thread.
package final class HTTPClient: Sendable {
    /// The open connection and the buffers reused across its requests.
    struct Connection: Sendable {
        var socket: ConnectedSocket
        var parser: HTTPResponseParser
        var output: [UInt8] = []
    }

    /// Whether a failed exchange may be retried on a fresh connection.
    struct ExchangeFailure: Error {
        var error: HTTPClientError
        var connectionWasStale: Bool
    }

    struct State: Sendable {
        var connection: Connection?
        var connectionsOpened = 0
    }

    /// Where the server may be reached, tried in order on each new connection.
    package let addresses: [NetworkAddress]
    /// The timeout and caps in force.
    package let configuration: Configuration
    private let hostHeader: String
    let state = Mutex(State())

    /// A client for the server at `address`; connects lazily on the first request.
    package convenience init(address: SocketAddress, configuration: Configuration = Configuration()) {
        self.init(addresses: [NetworkAddress(address)], host: address.description, configuration: configuration)
    }

    /// A client for a server reachable at any of `addresses` (a resolved name: `::1` and
    /// `127.0.0.1` for `localhost`), tried in order until one accepts. `host` is the `Host`
    /// header: the name and port as the user wrote them (`myhost:8080`, `[::1]:8080`).
    package init(addresses: [NetworkAddress], host: String, configuration: Configuration = Configuration()) {
        precondition(!addresses.isEmpty, "an HTTPClient needs an address")
        self.addresses = addresses
        self.configuration = configuration
        self.hostHeader = host
    }

    /// A client for `host` ("127.0.0.1" or "localhost") and `port`.
    package convenience init(host: String, port: UInt16, configuration: Configuration = Configuration()) throws {
        self.init(address: try SocketAddress(host: host, port: port), configuration: configuration)
    }

    deinit {
        state.withLock { state in
            if let connection = state.connection { try? connection.socket.close() }
        }
    }

    /// How many TCP connections this client has opened (1 while keep-alive holds).
    package var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }

    /// Sends `GET path` and returns the response, whatever its status.
    ///
    /// Throws ``HTTPClientError``. The public surface uses untyped `throws` so callers mix it
    /// with other throwing code freely; match with `catch let error as HTTPClientError`.
    package func get(_ path: String, headers: HTTPHeaders = HTTPHeaders()) throws -> HTTPResponse {
        try send(HTTPRequest(method: "GET", target: path, headers: headers))
    }

    /// Sends `request` and returns the response, whatever its status; throws ``HTTPClientError``.
    package func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let deadline = MonotonicClock.deadline(after: configuration.timeout)
        return try state.withLock { (state) throws(HTTPClientError) -> HTTPResponse in
            try send(request, deadline: deadline, state: &state)
        }
    }

    /// Closes the connection; the next request opens a new one.
    package func close() {
        state.withLock { state in
            if let connection = state.connection { try? connection.socket.close() }
            state.connection = nil
        }
    }

    // MARK: - Exchange

    private func send(
        _ request: HTTPRequest,
        deadline: ContinuousClock.Instant,
        state: inout State
    ) throws(HTTPClientError) -> HTTPResponse {
        let response = try onConnection(deadline: deadline, state: &state) { connection throws(ExchangeFailure) in
            try exchange(request, on: &connection, deadline: deadline)
        }
        if !state.connection!.parser.canReuseConnection { drop(&state) }
        return response
    }

    /// Runs `exchange` on the kept connection, opening one first when there is none. Any failure
    /// drops the connection; one that shows a reused connection was stale (the server closed it
    /// before taking anything) is retried once on a fresh one, since nothing was taken.
    func onConnection<Value>(
        deadline: ContinuousClock.Instant, state: inout State,
        _ exchange: (inout Connection) throws(ExchangeFailure) -> Value
    ) throws(HTTPClientError) -> Value {
        var retried = false
        while true {
            let reused = state.connection != nil
            if !reused {
                state.connection = try connect(deadline: deadline)
                state.connectionsOpened += 1
            }
            do {
                return try exchange(&state.connection!)
            } catch {
                drop(&state)
                if reused && !retried && error.connectionWasStale {
                    retried = true
                    continue
                }
                throw error.error
            }
        }
    }

    /// Connects to the first address that accepts; a refusal moves on to the next (a server on
    /// 127.0.0.1 only, reached as `localhost`, refuses on ::1), and the first refusal is the one
    /// reported when none accepts.
    private func connect(deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Connection {
        var firstError: SystemError?
        for address in addresses {
            do {
                let socket = try ConnectedSocket.connect(to: address, deadline: deadline)
                let parser = HTTPResponseParser(maxHeaderBytes: configuration.maxHeaderBytes,
                                                maxResponseBytes: configuration.maxResponseBytes)
                return Connection(socket: socket, parser: parser)
            } catch {
                if error.isTimeout { throw .timedOut }
                if firstError == nil { firstError = error }
            }
        }
        throw .system(firstError!)
    }

    func drop(_ state: inout State) {
        if let connection = state.connection { try? connection.socket.close() }
        state.connection = nil
    }

    private func exchange(
        _ request: HTTPRequest,
        on connection: inout Connection,
        deadline: ContinuousClock.Instant
    ) throws(ExchangeFailure) -> HTTPResponse {
        try write([request], on: &connection, deadline: deadline)
        return try receive(forHEAD: request.method == "HEAD", on: &connection, deadline: deadline)
    }

    /// Writes `requests` in one send.
    func write(
        _ requests: [HTTPRequest], on connection: inout Connection, deadline: ContinuousClock.Instant
    ) throws(ExchangeFailure) {
        do {
            connection.output.removeAll(keepingCapacity: true)
            for request in requests {
                MessageWriter.writeHead(of: request, host: hostHeader, into: &connection.output)
                connection.output.append(contentsOf: request.body)
            }
            try connection.socket.send(connection.output, deadline: deadline)
            // A server that writes its head and body in two sends (Python's http.server does) has
            // Nagle hold the body until the head is acknowledged, and Linux delays that ACK by up
            // to 40 ms: 40 ms added to every such exchange, which the schedule would count as the
            // target's time. Quick-ACK mode, set per exchange since the kernel leaves it on its
            // own, acknowledges the head at once.
            try? connection.socket.descriptor.setOption(Int32(IPPROTO_TCP), TCP_QUICKACK, 1, name: "TCP_QUICKACK")
        } catch {
            // A write to a connection the server already closed fails with EPIPE or a reset.
            throw ExchangeFailure(error: error.isTimeout ? .timedOut : .system(error),
                                  connectionWasStale: error.isConnectionLost)
        }
    }

    /// Reads the next response on `connection`.
    func receive(
        forHEAD isHEAD: Bool, on connection: inout Connection, deadline: ContinuousClock.Instant
    ) throws(ExchangeFailure) -> HTTPResponse {
        var endOfStream = false
        while true {
            do {
                if let response = try connection.parser.next(forHEAD: isHEAD, endOfStream: endOfStream) {
                    return response
                }
            } catch {
                let stale = error == .connectionClosed && !connection.parser.hasStarted
                throw ExchangeFailure(error: error, connectionWasStale: stale)
            }
            do {
                // Until the first byte the server is still working: poll before recv.
                endOfStream = try connection.parser.buffer.receive(
                    from: connection.socket, atLeast: 16 * 1024, deadline: deadline,
                    pollFirst: !connection.parser.hasStarted) == 0
            } catch {
                let stale = error.isConnectionLost && !connection.parser.hasStarted
                throw ExchangeFailure(error: error.isTimeout ? .timedOut : .system(error), connectionWasStale: stale)
            }
        }
    }
}
