#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import PosixSupport

/// A small HTTP/1.1 server: one event-loop thread over non-blocking sockets (``EventLoop``),
/// keep-alive and pipelining, limits on connections, idle time, request head time and request
/// size, and a prompt, graceful shutdown.
///
///     let server = HTTPServer { request in HTTPResponse(text: "hello \(request.path)") }
///     let address = try server.start()          // 127.0.0.1:<kernel-chosen port>
///     ...
///     server.shutdown(graceWall: .seconds(5))
///
/// The handler is synchronous and may block (loading a tenant), so it runs on a thread of the
/// ``HandlerPool``, at most one per connection: a blocked handler holds up only its own
/// connection. A server whose requests are mostly quick gives an `inlineHandler` too, which the
/// loop calls on its own thread and which returns nil for a request it cannot answer without
/// blocking; only those reach `handler`. Slow clients cannot take every slot: a request head
/// must arrive within ``HTTPServerConfiguration/headerTimeout`` however it trickles in, and a
/// newcomer evicts the oldest incomplete request when those hold
/// ``HTTPServerConfiguration/maxIncompleteConnections`` slots or the table is full (see
/// ``ConnectionSlots``). Malformed input is answered with the parser's status and closed;
/// nothing a client sends can crash the process. The running loop keeps the server alive: call
/// ``shutdown(graceWall:)`` to release it.
package final class HTTPServer: Sendable {
    /// Handles one request on a handler thread; may block; called concurrently.
    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    /// Answers one request on the event loop's thread, or returns nil when that would block.
    /// Must never block: every connection waits while it runs.
    package typealias InlineHandler = @Sendable (HTTPRequest) -> HTTPResponse?

    /// The configuration the server was created with.
    package let configuration: HTTPServerConfiguration
    let handler: Handler
    let inlineHandler: InlineHandler?
    private let counters = Mutex(HTTPServerStatistics())
    private let phase = Mutex<Phase>(.created)
    private let boundAddress = Mutex<SocketAddress?>(nil)

    private enum Phase {
        case created
        case running(loop: pthread_t, doorbell: Doorbell, stopRequest: Duration?)
        case stopped
    }

    /// Creates a server; nothing listens until ``start()``.
    package init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        inlineHandler: InlineHandler? = nil,
        handler: @escaping Handler
    ) {
        self.configuration = configuration
        self.inlineHandler = inlineHandler
        self.handler = handler
    }

    /// The address being listened on, once started.
    package var localAddress: SocketAddress? { boundAddress.withLock { $0 } }

    /// A snapshot of the counters.
    package var statistics: HTTPServerStatistics { counters.withLock { $0 } }

    /// Updates the counters; from the loop.
    func count(_ change: (inout HTTPServerStatistics) -> Void) { counters.withLock { change(&$0) } }

    /// The grace period asked for by ``shutdown(graceWall:)``, once it was called; for the loop.
    var stopRequested: Duration? {
        phase.withLock { phase in
            if case .running(_, _, let grace) = phase { return grace }
            return nil
        }
    }

    /// Binds, starts the event loop and returns the bound address (port 0 resolved).
    ///
    /// Must be called once; the server cannot be restarted after ``shutdown(graceWall:)``.
    @discardableResult
    package func start() throws -> SocketAddress {
        precondition(phase.withLock { if case .created = $0 { true } else { false } }, "HTTPServer.start() called twice")
        let listener = try ListeningSocket.bind(to: configuration.address, backlog: configuration.backlog)
        let loop: EventLoop
        let doorbell: Doorbell
        do {
            doorbell = try Doorbell()
            loop = try EventLoop(server: self, listener: listener, doorbell: doorbell)
        } catch {
            try? listener.close()
            throw error
        }
        boundAddress.withLock { $0 = listener.localAddress }
        // The phase is set before the loop can read it, under the same lock.
        try phase.withLock { phase in
            let thread = try PlainThread.start(name: "http-loop", joinable: true) { loop.run() }
            phase = .running(loop: thread, doorbell: doorbell, stopRequest: nil)
        }
        return listener.localAddress
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish within
    /// `graceWall` (wall time), then closes whatever is left and returns.
    ///
    /// A handler still running after the grace cannot be cancelled: its thread finishes on
    /// its own and its response is dropped. Calling this again, or before start, is harmless.
    package func shutdown(graceWall: Duration = .seconds(5)) {
        let running = phase.withLock { phase -> (pthread_t, Doorbell)? in
            guard case .running(let loop, let doorbell, nil) = phase else { return nil }
            phase = .running(loop: loop, doorbell: doorbell, stopRequest: graceWall)
            return (loop, doorbell)
        }
        guard let (loop, doorbell) = running else { return }
        doorbell.ring()
        PlainThread.join(loop)
        phase.withLock { $0 = .stopped }
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
