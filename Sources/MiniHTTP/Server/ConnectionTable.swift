#if canImport(Glibc)
import Glibc
#endif

/// The server's shared state: which connections are open and whether each is between
/// requests, so shutdown can close idle ones at once and let busy ones finish.
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
        case stopping
    }

    private struct Entry {
        let socket: ConnectedSocket
        var betweenRequests: Bool
    }

    var phase = Phase.created
    var statistics = HTTPServerStatistics()
    var acceptThread: pthread_t?
    private var entries: [Int: Entry] = [:]
    private var nextID = 0

    var openCount: Int { entries.count }

    mutating func admit(_ socket: ConnectedSocket, limit: Int) -> Admission {
        guard phase == .running else { return .stopping }
        guard entries.count < limit else {
            statistics.rejectedConnections += 1
            return .overLimit
        }
        nextID += 1
        entries[nextID] = Entry(socket: socket, betweenRequests: true)
        statistics.acceptedConnections += 1
        statistics.openConnections = entries.count
        return .serve(id: nextID)
    }

    /// Called before a connection waits for its next request. Returns false when the
    /// server is stopping: the connection should close rather than wait.
    mutating func enterIdle(_ id: Int, handled requests: Int) -> Bool {
        statistics.requestsHandled += requests
        guard phase == .running else { return false }
        entries[id]?.betweenRequests = true
        return true
    }

    /// Called when the first bytes of a request arrive, so shutdown leaves it to finish.
    mutating func enterBusy(_ id: Int) {
        entries[id]?.betweenRequests = false
    }

    /// Forgets a connection; the caller closes the socket after this, never before, so
    /// ``beginStopping()`` can never shut down a descriptor number that was reused.
    mutating func remove(_ id: Int, handled requests: Int) {
        statistics.requestsHandled += requests
        entries[id] = nil
        statistics.openConnections = entries.count
    }

    /// Moves to stopping and wakes every connection waiting between requests (its read
    /// returns end-of-stream and it closes). Busy connections are left to finish.
    mutating func beginStopping() {
        phase = .stopping
        for entry in entries.values where entry.betweenRequests {
            entry.socket.shutdownBothDirections()
        }
    }

    /// After the grace period: interrupts every remaining connection's I/O.
    func interruptAll() {
        for entry in entries.values {
            entry.socket.shutdownBothDirections()
        }
    }
}
