/// One connection's deadlines as a value: which wait it is in (a new connection's first
/// request, idle between requests, a head arriving, a body arriving) and when that wait ends.
///
/// A deadline is set when a wait begins and never moved by the bytes that arrive during it,
/// so a client trickling one byte a second gets no more time than one that sends nothing:
///
/// - new connection: its first request head is due ``HTTPServerConfiguration/headerTimeout``
///   after accept (a client connects when its request is ready); with nothing received yet
///   the idle timeout applies too, if shorter;
/// - between requests: the next one's first byte is due within the idle timeout;
/// - after that first byte: the whole head is due within the header timeout;
/// - after the head: the body is due within the idle timeout.
///
/// The connection reports the returned ``Change``s to the server's table, which is how
/// admission knows which connections hold incomplete requests. Times are parameters, so
/// tests step through the waits without sleeping.
struct RequestClock {
    /// A change of state the server's table must hear about.
    enum Change: Equatable {
        /// Waiting for the next request on a kept-alive connection.
        case idle
        /// Part of a request has arrived and the rest is owed.
        case receiving
    }

    private enum Wait: Equatable {
        case firstRequest, idle, head, body, answered
    }

    private(set) var deadline: ContinuousClock.Instant
    private var wait = Wait.firstRequest
    /// The state the table last heard (`nil`: the fresh state it starts in, or handling).
    private var reported: Change?
    private let accepted: ContinuousClock.Instant
    private let headerTimeout: Duration
    private let idleTimeout: Duration

    init(accepted: ContinuousClock.Instant, configuration: HTTPServerConfiguration) {
        self.accepted = accepted
        headerTimeout = configuration.headerTimeout
        idleTimeout = configuration.idleTimeout
        deadline = accepted + min(headerTimeout, idleTimeout)
    }

    /// Called when the parser needs more bytes; returns what the table should now record.
    mutating func needsMoreBytes(
        isBetweenRequests: Bool,
        awaitingBody: Bool,
        now: ContinuousClock.Instant = .now
    ) -> Change? {
        if isBetweenRequests {
            // Blank lines before a request are skipped without starting anything: they leave
            // a head's deadline where it was.
            guard wait == .answered else { return nil }
            wait = .idle
            deadline = now + idleTimeout
            reported = .idle
            return .idle
        }
        if wait == .answered || wait == .idle {
            wait = .head
            deadline = now + headerTimeout
        }
        if awaitingBody && wait != .body {
            wait = .body
            deadline = now + idleTimeout
        }
        guard reported != .receiving else { return nil }
        reported = .receiving
        return .receiving
    }

    /// Called after a receive brought bytes: the first byte of a request starts its head's clock.
    mutating func bytesArrived(now: ContinuousClock.Instant = .now) {
        switch wait {
        case .firstRequest:
            wait = .head
            deadline = accepted + headerTimeout
        case .idle:
            wait = .head
            deadline = now + headerTimeout
        case .head, .body, .answered:
            break
        }
    }

    /// Called after a response was written. `nextAlreadyStarted`: pipelined bytes of the next
    /// request are buffered, so its head's clock starts now.
    mutating func requestAnswered(nextAlreadyStarted: Bool, now: ContinuousClock.Instant = .now) {
        reported = nil  // the table moved to handling before the handler ran
        wait = .answered
        if nextAlreadyStarted {
            wait = .head
            deadline = now + headerTimeout
        }
    }

    /// After a deadline passed: why the request was late, for a 408, or nil when no request
    /// was under way (an idle connection, or one that never sent a byte), which closes quietly.
    func lateRequestPart(bytesBuffered: Bool) -> String? {
        switch wait {
        case .head where bytesBuffered:
            return "request head not received within \(headerTimeout)"
        case .body:
            return "request body not received within \(idleTimeout) of its head"
        case .firstRequest, .idle, .head, .answered:
            return nil
        }
    }
}
