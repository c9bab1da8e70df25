#if canImport(Glibc)
import Glibc
#endif
import PosixSupport

/// The server's one I/O thread: an epoll loop over the listening socket, every connection and a
/// doorbell, with non-blocking sockets.
///
/// It replaced a thread per connection. Profiled under `wrk -t1 -c32` on 2 cores, that server
/// spent over half its CPU spinning in `Mutex._lockSlow` on the connection table (two locks per
/// request from 32 threads, preempted while holding it), and every request was a thread wake-up.
/// Here the loop owns the table (``ConnectionSlots``), the deadlines (``RequestClock``) and the
/// connections, so none of them needs a lock; a warm request costs a recv and a send.
///
/// Requests are answered on the loop by the server's inline handler when it can do so without
/// blocking; the rest go to the ``HandlerPool`` and their responses come back through the
/// doorbell. Deadlines are kept as the earliest one due: the loop sleeps until it, then checks
/// every connection, so an idle server does not wake at all.
final class EventLoop: @unchecked Sendable {
    static let listenerToken = UInt64.max
    static let doorbellToken = UInt64.max - 1

    let server: HTTPServer
    let configuration: HTTPServerConfiguration
    let pool: HandlerPool
    let doorbell: Doorbell
    var poll: EventPoll
    var listener: ListeningSocket?
    var slots: ConnectionSlots
    var connections: [Int: LoopConnection] = [:]
    /// The earliest deadline any connection may have; stale (too early) after deadlines move,
    /// which costs one needless check.
    var earliestDeadline: ContinuousClock.Instant?
    /// Accepting paused after running out of descriptors, until then.
    var acceptResumes: ContinuousClock.Instant?
    /// Set once shutdown began: when the grace period ends.
    var stopDeadline: ContinuousClock.Instant?

    init(server: HTTPServer, listener: ListeningSocket, doorbell: Doorbell) throws(SystemError) {
        self.server = server
        configuration = server.configuration
        self.listener = listener
        self.doorbell = doorbell
        let limit = max(1, configuration.maxConnections)
        slots = ConnectionSlots(limit: limit, incompleteLimit: min(limit, max(1, configuration.maxIncompleteConnections)))
        pool = HandlerPool(limit: limit, doorbell: doorbell, handler: server.handler)
        poll = try EventPoll()
        try poll.add(listener.descriptor.rawValue, token: Self.listenerToken, interest: .readable)
        try poll.add(doorbell.descriptor.rawValue, token: Self.doorbellToken, interest: .readable)
    }

    /// Serves until shutdown ends; then closes every connection left and the listener.
    func run() {
        defer { finish() }
        while true {
            let count: Int
            do {
                count = try poll.wait(timeoutMilliseconds: timeout(from: .now))
            } catch {
                return  // the poll itself broke (EBADF, ENOMEM): nothing left to serve with
            }
            let now = ContinuousClock.now
            for index in 0..<count {
                let ready = poll.ready(at: index)
                switch ready.token {
                case Self.listenerToken: acceptPending(now)
                case Self.doorbellToken: answerDoorbell(now)
                default:
                    if let connection = connections[Int(ready.token)] { handle(ready.events, on: connection, now) }
                }
            }
            if let resumes = acceptResumes, now >= resumes { resumeAccepting() }
            if let earliest = earliestDeadline, now >= earliest { expireDeadlines(now) }
            if stopDeadline != nil && (connections.isEmpty || now >= stopDeadline!) { return }
        }
    }

    /// Milliseconds until the next thing the loop must do unprompted; -1 when there is none.
    private func timeout(from now: ContinuousClock.Instant) -> Int32 {
        let next = [earliestDeadline, acceptResumes, stopDeadline].compactMap { $0 }.min()
        guard let next else { return -1 }
        let (seconds, attoseconds) = (next - now).components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        // Rounded up: waking a fraction early would only find nothing due and wait again.
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Notes a deadline a connection now has.
    func note(_ deadline: ContinuousClock.Instant?) {
        guard let deadline else { return }
        if earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
    }

    private func expireDeadlines(_ now: ContinuousClock.Instant) {
        earliestDeadline = nil
        for connection in Array(connections.values) {
            guard let deadline = connection.deadline else { continue }
            if deadline <= now { timedOut(connection, now) } else { note(deadline) }
        }
    }

    private func timedOut(_ connection: LoopConnection, _ now: ContinuousClock.Instant) {
        guard case .reading = connection.phase else { return close(connection) }  // a write or linger ran out
        // Silently when it owed us nothing (idle, or never sent a byte); with a 408 mid-request.
        guard let late = connection.clock.lateRequestPart(bytesBuffered: !connection.parser.isBetweenRequests) else {
            server.count { $0.idleTimeouts += 1 }
            return close(connection)
        }
        server.count { $0.requestTimeouts += 1 }
        answerAndLinger(connection, HTTPResponse(status: 408, text: late + "\n"), now)
    }

    private func answerDoorbell(_ now: ContinuousClock.Instant) {
        doorbell.answer()
        for done in pool.takeFinished() { deliver(done, now) }
        if stopDeadline == nil, let grace = server.stopRequested { beginStopping(now, grace: grace) }
    }

    /// Stops accepting, closes connections waiting for a request (fresh or idle), and lets
    /// requests under way finish within `grace`.
    private func beginStopping(_ now: ContinuousClock.Instant, grace: Duration) {
        stopDeadline = now + grace
        if let listener {
            poll.remove(listener.descriptor.rawValue)
            try? listener.close()
            self.listener = nil
        }
        for id in slots.ids(in: [.fresh, .idle]) {
            if let connection = connections[id] { close(connection) }
        }
    }

    private func finish() {
        for connection in Array(connections.values) { close(connection) }
        if let listener { try? listener.close() }
        pool.stop()
    }

    /// Closes a connection and frees its slot.
    func close(_ connection: LoopConnection) {
        guard !connection.closed else { return }
        connection.closed = true
        if connection.watched { poll.remove(connection.descriptor) }
        try? connection.socket.close()
        connections[connection.id] = nil
        slots.remove(connection.id)
        let open = slots.liveCount
        server.count { $0.openConnections = open }
    }

    /// Changes what the poll watches a connection for, when it differs.
    func watch(_ connection: LoopConnection, for interest: EventPoll.Events) {
        guard !connection.closed, connection.watched, connection.interest != interest else { return }
        connection.interest = interest
        do {
            try poll.modify(connection.descriptor, token: UInt64(connection.id), interest: interest)
        } catch {
            close(connection)
        }
    }
}
