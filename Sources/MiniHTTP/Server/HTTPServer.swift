#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import PosixSupport

/// A small HTTP/1.1 server: one accept thread, one thread per connection, keep-alive,
/// limits on connections, idle time, request head time and request size, and a prompt,
/// graceful shutdown.
///
///     let server = HTTPServer { request in HTTPResponse(text: "hello \(request.path)") }
///     let address = try server.start()          // 127.0.0.1:<kernel-chosen port>
///     ...
///     server.shutdown(graceWall: .seconds(5))
///
/// Thread per connection is bounded by ``HTTPServerConfiguration/maxConnections``: the
/// handler is synchronous and may block (loading a tenant), so a blocked handler only
/// holds its own connection's thread. Slow clients cannot take every slot: a request head
/// must arrive within ``HTTPServerConfiguration/headerTimeout`` however it trickles in, and
/// a newcomer evicts the oldest incomplete request when those hold
/// ``HTTPServerConfiguration/maxIncompleteConnections`` slots or the table is full (see
/// ``ConnectionSlots``). Malformed input is answered with the parser's status and closed;
/// nothing a client sends can crash the process. Running threads keep the server alive:
/// call ``shutdown(graceWall:)`` to release it.
package final class HTTPServer: Sendable {
    /// Handles one request; called on the connection's thread, possibly concurrently.
    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// The configuration the server was created with.
    package let configuration: HTTPServerConfiguration
    let handler: Handler
    let table: Mutex<ConnectionTable>
    /// Read on every response (to add Connection: close), so an atomic rather than the lock.
    let stopping = Atomic<Bool>(false)
    private let wakePipe = Mutex<(reader: FileDescriptor, writer: FileDescriptor)?>(nil)
    private let boundAddress = Mutex<SocketAddress?>(nil)

    /// Creates a server; nothing listens until ``start()``.
    package init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
        let limit = max(1, configuration.maxConnections)
        table = Mutex(ConnectionTable(
            limit: limit, incompleteLimit: min(limit, max(1, configuration.maxIncompleteConnections))))
    }

    /// The address being listened on, once started.
    package var localAddress: SocketAddress? { boundAddress.withLock { $0 } }

    /// A snapshot of the counters.
    package var statistics: HTTPServerStatistics { table.withLock { $0.statistics } }

    /// Binds, starts the accept thread and returns the bound address (port 0 resolved).
    ///
    /// Must be called once; the server cannot be restarted after ``shutdown(graceWall:)``.
    @discardableResult
    package func start() throws -> SocketAddress {
        precondition(table.withLock { $0.phase } == .created, "HTTPServer.start() called twice")
        let listener = try ListeningSocket.bind(to: configuration.address, backlog: configuration.backlog)
        let pipe: (reader: FileDescriptor, writer: FileDescriptor)
        do {
            pipe = try Self.makeWakePipe()
        } catch {
            try? listener.close()
            throw error
        }
        wakePipe.withLock { $0 = pipe }
        boundAddress.withLock { $0 = listener.localAddress }
        table.withLock { $0.phase = .running }
        do {
            let thread = try PlainThread.start(name: "http-accept", joinable: true) {
                self.acceptLoop(listener, wake: pipe.reader)
            }
            table.withLock { $0.acceptThread = thread }
        } catch {
            table.withLock { $0.phase = .stopped }
            try? listener.close()
            try? pipe.reader.close()
            try? pipe.writer.close()
            throw error
        }
        return listener.localAddress
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish within
    /// `graceWall` (wall time), then interrupts whatever is left and returns.
    ///
    /// A handler still running after the grace cannot be cancelled: its thread finishes on
    /// its own and its response is dropped. Calling this again, or before start, is harmless.
    package func shutdown(graceWall: Duration = .seconds(5)) {
        let deadline = ContinuousClock.now + graceWall
        let acceptThread = table.withLock { table -> pthread_t?? in
            guard table.phase == .running else { return nil }
            stopping.store(true, ordering: .releasing)
            table.beginStopping()
            defer { table.acceptThread = nil }
            return table.acceptThread
        }
        guard let acceptThread else { return }
        if let pipe = wakePipe.withLock({ $0 }) {
            var byte: UInt8 = 1
            _ = write(pipe.writer.rawValue, &byte, 1)
        }
        if let acceptThread { PlainThread.join(acceptThread) }
        if let pipe = wakePipe.withLock({ pipe in defer { pipe = nil }; return pipe }) {
            try? pipe.reader.close()
            try? pipe.writer.close()
        }
        // No condition variable in Synchronization; polling the count every 2 ms keeps the
        // added shutdown latency negligible next to any real grace period.
        while table.withLock({ $0.openCount }) > 0 && ContinuousClock.now < deadline {
            usleep(2_000)
        }
        table.withLock { table in
            table.interruptAll()
            table.phase = .stopped
        }
    }

    // MARK: - Accepting

    private func acceptLoop(_ listener: ListeningSocket, wake: FileDescriptor) {
        defer { try? listener.close() }
        var watched = [
            pollfd(fd: listener.descriptor.rawValue, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.rawValue, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            watched[0].revents = 0
            watched[1].revents = 0
            guard (try? SystemCall.retrying("poll") { poll(&watched, 2, -1) }) != nil else { return }
            if watched[1].revents != 0 { return }
            acceptPending(listener, wake: wake)
        }
    }

    /// Accepts until the backlog is empty, so one poll wake-up serves a burst of connects.
    private func acceptPending(_ listener: ListeningSocket, wake: FileDescriptor) {
        while true {
            do {
                guard let socket = try listener.accept() else { return }
                admit(socket, wake: wake)
            } catch where error.errno == ECONNABORTED || error.errno == EPROTO {
                continue  // the client gave up before we accepted; nothing to serve
            } catch {
                // Out of descriptors or memory: back off briefly instead of spinning on a
                // listener that stays readable, but stay responsive to shutdown.
                _ = try? wake.wait(for: Int16(POLLIN), until: .now + .milliseconds(10))
                return
            }
        }
    }

    private func admit(_ socket: ConnectedSocket, wake: FileDescriptor) {
        let accepted = ContinuousClock.now
        var admission = table.withLock { $0.admit(socket) }
        // Evicted connections whose threads have not left yet fill the table: pause accepting
        // (newcomers queue in the kernel's backlog) until they go, rather than refuse. A thread
        // leaves as soon as it is scheduled, so this is brief; a second is the bound.
        while admission == .wait && ContinuousClock.now - accepted < .seconds(1) {
            if (try? wake.wait(for: Int16(POLLIN), until: .now + .milliseconds(1))) != nil {
                admission = .stopping  // shutdown began
                break
            }
            admission = table.withLock { $0.admit(socket) }
        }
        switch admission {
        case .serve(let id):
            do {
                try PlainThread.start(name: "http-conn") {
                    let connection = ServerConnection(server: self, id: id, socket: socket, accepted: accepted)
                    connection.run()
                }
            } catch {
                table.withLock { $0.remove(id, handled: 0) }
                refuse(socket, message: "cannot start a connection thread (\(error))")
            }
        case .overLimit:
            let limit = configuration.maxConnections
            refuse(socket, message: "all \(limit) connections are handling requests; retry later")
        case .wait:
            refuse(socket, message: "too many evicted connections still closing; retry later")
        case .stopping:
            refuse(socket, message: "server is shutting down")
        }
    }

    /// Answers 503 and closes, on the accept thread, without waiting on a slow client: the
    /// reply fits in the socket buffer, and draining what the client already sent lets the
    /// close send FIN rather than a reset that could destroy the reply before it is read.
    private func refuse(_ socket: ConnectedSocket, message: String) {
        var bytes: [UInt8] = []
        let response = HTTPResponse(status: 503, text: message + "\n")
        MessageWriter.writeHead(of: response, keepAlive: false, requestVersion: .http1_1, into: &bytes)
        bytes.append(contentsOf: response.body)
        try? socket.send(bytes, deadline: .now)
        socket.shutdownSending()
        socket.drainAvailable()
        try? socket.close()
    }

    private static func makeWakePipe() throws(SystemError) -> (reader: FileDescriptor, writer: FileDescriptor) {
        var ends: [Int32] = [0, 0]
        try SystemCall.retrying("pipe") { pipe(&ends) }
        let pair = (reader: FileDescriptor(rawValue: ends[0]), writer: FileDescriptor(rawValue: ends[1]))
        for end in [pair.reader, pair.writer] {
            try end.setCloseOnExec()
            try end.setNonBlocking()
        }
        return pair
    }
}

extension ConnectedSocket {
    /// What a new connection has sent that its thread has not read yet: nothing, part of a
    /// request head, or a whole one (or a malformed one, which is not slow either). Peeks at
    /// most 4 KiB without waiting; a longer head reads as partial.
    func peekUnreadRequest() -> ConnectionSlots.Unread {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { scratch in
            // EAGAIN (nothing yet) and errors alike mean nothing to judge by.
            let peeked = (try? SystemCall.retrying("recv MSG_PEEK") {
                recv(descriptor.rawValue, scratch.baseAddress, scratch.count, Int32(MSG_PEEK | MSG_DONTWAIT))
            }) ?? 0
            guard peeked > 0 else { return .nothing }
            let unread = UnsafeBufferPointer(rebasing: scratch[..<peeked])
            if case .incomplete = HeadScanner.findEnd(in: unread, resumeAt: 0) { return .partialHead }
            return .completeHead
        }
    }

    /// Reads and discards what has already arrived, without waiting.
    func drainAvailable(limit: Int = 256 * 1024) {
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < limit {
            let count = scratch.withUnsafeMutableBytes { raw in
                (try? SystemCall.retrying("recv") { recv(descriptor.rawValue, raw.baseAddress, raw.count, 0) }) ?? 0
            }
            if count <= 0 { return }
            total += count
        }
    }
}
