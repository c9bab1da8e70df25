/// How an ``HTTPServer`` listens and what it tolerates from clients.
package struct HTTPServerConfiguration: Sendable, Equatable {
    /// Where to listen; port 0 lets the kernel choose (``HTTPServer/start()`` returns it).
    package var address: SocketAddress
    /// Connections served at once. Each costs a thread. When all are taken, a newcomer evicts
    /// the oldest incomplete request, else the longest-idle keep-alive connection; it is
    /// answered 503 only when every connection is handling a request (or has one waiting).
    package var maxConnections: Int
    /// Connections with an incomplete request (nothing or part of it received) that may be
    /// open together; a newcomer beyond it evicts the oldest of them that has sent part of a
    /// request, so slow clients can never crowd out the other slots. Clamped to
    /// `1...maxConnections`.
    package var maxIncompleteConnections: Int
    /// Wall time a keep-alive connection may sit between requests, a request body may take
    /// after its head, and a response write may take. Real time on purpose: it protects the
    /// process, not the simulated scenario.
    package var idleTimeout: Duration
    /// Wall time a request head (request line and headers) may take to arrive, counted from
    /// its first byte (from accept, for a connection's first request) and never extended by
    /// bytes that trickle in; past it the server answers 408 and closes.
    package var headerTimeout: Duration
    /// Header and body size limits per request.
    package var limits: HTTPRequestParser.Limits
    /// The listen backlog: connections the kernel queues before the accept loop takes them.
    package var backlog: Int32

    /// A configuration with the defaults: loopback on any port, 256 connections of which at
    /// most half incomplete, 10 s for a request head, 30 s idle, 16 KiB of headers and 1 MiB
    /// of body.
    package init(
        address: SocketAddress = .loopback(port: 0),
        maxConnections: Int = 256,
        maxIncompleteConnections: Int? = nil,
        idleTimeout: Duration = .seconds(30),
        headerTimeout: Duration = .seconds(10),
        limits: HTTPRequestParser.Limits = HTTPRequestParser.Limits(),
        backlog: Int32 = 512
    ) {
        self.address = address
        self.maxConnections = maxConnections
        self.maxIncompleteConnections = maxIncompleteConnections ?? Self.defaultIncompleteLimit(for: maxConnections)
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.limits = limits
        self.backlog = backlog
    }

    /// Half the connections (at least one): enough for every honest client that is mid-request
    /// at any instant, while slow ones can never crowd out the other half.
    package static func defaultIncompleteLimit(for maxConnections: Int) -> Int {
        max(1, maxConnections / 2)
    }
}

/// Counters an ``HTTPServer`` keeps for stats pages and tests.
package struct HTTPServerStatistics: Sendable, Equatable {
    /// Connections being served now (evicted ones still closing not included).
    package var openConnections = 0
    /// Connections accepted and served since start (rejected ones not included).
    package var acceptedConnections = 0
    /// Connections answered 503 because every slot was handling a request.
    package var rejectedConnections = 0
    /// Connections closed to make room for a newcomer: incomplete requests, or idle keep-alive.
    package var evictedConnections = 0
    /// Requests passed to the handler and answered.
    package var requestsHandled = 0
    /// Requests refused by the parser (4xx/5xx and closed).
    package var malformedRequests = 0
    /// Connections closed because they stayed idle (between requests, or before sending anything).
    package var idleTimeouts = 0
    /// Requests cut because their head did not arrive within the header timeout, or their
    /// body within the idle timeout after the head (answered 408).
    package var requestTimeouts = 0

    /// All counters at zero.
    package init() {}
}
