#if canImport(Glibc)
import Glibc
#endif

/// The server's shared state: which connections are open, what each is doing (``ConnectionSlots``)
/// and their sockets, so admission can evict a slow client and shutdown can close idle ones at
/// once and let busy ones finish.
///
/// Kept behind the server's Mutex; the functions here are plain mutations so the locking
/// stays in one place (``HTTPServer``).
struct ConnectionTable: ~Copyable {
    enum Phase: Equatable {
        case created, running, stopping, stopped
    }

    /// What the accept loop should do with a new connection.
    enum Admission: Equatable {
        case serve(id: Int)
        case overLimit
        /// Too many evicted connections are still closing: retry shortly.
        case wait
        case stopping
    }

    var phase = Phase.created
    var statistics = HTTPServerStatistics()
    var acceptThread: pthread_t?
    private var slots: ConnectionSlots
    private var sockets: [Int: ConnectedSocket] = [:]

    init(limit: Int, incompleteLimit: Int) {
        slots = ConnectionSlots(limit: limit, incompleteLimit: incompleteLimit)
    }

    /// Connections whose thread has not left yet, evicted ones still closing included.
    var openCount: Int { sockets.count }

    mutating func admit(_ socket: ConnectedSocket) -> Admission {
        guard phase == .running else { return .stopping }
        let open = sockets
        switch slots.admit(peek: { open[$0]?.peekUnreadRequest() ?? .nothing }) {
        case .full:
            statistics.rejectedConnections += 1
            return .overLimit
        case .closing:
            return .wait
        case .admit(let id, let evicting):
            if let evicting {
                // Wakes the victim's thread from poll (its read returns end-of-stream); the
                // thread closes the descriptor itself after removing the entry, as always.
                sockets[evicting]?.shutdownBothDirections()
                statistics.evictedConnections += 1
            }
            sockets[id] = socket
            statistics.acceptedConnections += 1
            statistics.openConnections = slots.liveCount
            return .serve(id: id)
        }
    }

    /// Called when part of a request has arrived but not all of it. Returns false when the
    /// connection was evicted meanwhile and must close.
    mutating func enterReceiving(_ id: Int) -> Bool {
        slots.move(id, to: .receiving)
    }

    /// Called when a whole request has arrived, before the handler runs. Returns false when
    /// the connection was evicted meanwhile: it must close without answering.
    mutating func enterHandling(_ id: Int) -> Bool {
        slots.move(id, to: .handling)
    }

    /// Called before a connection waits for its next request. Returns false when the server
    /// is stopping or the connection was evicted: it should close rather than wait.
    mutating func enterIdle(_ id: Int, handled requests: Int) -> Bool {
        statistics.requestsHandled += requests
        guard phase == .running else { return false }
        return slots.move(id, to: .idle)
    }

    /// Forgets a connection; the caller closes the socket after this, never before, so
    /// ``beginStopping()`` and eviction can never shut down a descriptor number that was reused.
    mutating func remove(_ id: Int, handled requests: Int) {
        statistics.requestsHandled += requests
        slots.remove(id)
        sockets[id] = nil
        statistics.openConnections = slots.liveCount
    }

    /// Moves to stopping and wakes every connection waiting for a request (its read returns
    /// end-of-stream and it closes). Connections with a request under way are left to finish.
    mutating func beginStopping() {
        phase = .stopping
        for id in slots.ids(in: [.fresh, .idle]) {
            sockets[id]?.shutdownBothDirections()
        }
    }

    /// After the grace period: interrupts every remaining connection's I/O.
    func interruptAll() {
        for socket in sockets.values {
            socket.shutdownBothDirections()
        }
    }
}
