/// How an ``HTTPServer`` listens and what it tolerates from clients.
package struct HTTPServerConfiguration: Sendable, Equatable {
    /// Where to listen; port 0 lets the kernel choose (``HTTPServer/start()`` returns it).
    package var address: SocketAddress
    /// Connections served at once; one more is answered 503 and closed. Each costs a thread.
    package var maxConnections: Int
    /// Wall time a connection may sit between requests, or take to send one, before it is
    /// closed. Real time on purpose: it protects the process, not the simulated scenario.
    package var idleTimeout: Duration
    /// Header and body size limits per request.
    package var limits: HTTPRequestParser.Limits
    /// The listen backlog: connections the kernel queues before the accept loop takes them.
    package var backlog: Int32

    /// A configuration with the defaults: loopback on any port, 256 connections, 30 s idle,
    /// 16 KiB of headers and 1 MiB of body.
    package init(
        address: SocketAddress = .loopback(port: 0),
        maxConnections: Int = 256,
        idleTimeout: Duration = .seconds(30),
        limits: HTTPRequestParser.Limits = HTTPRequestParser.Limits(),
        backlog: Int32 = 512
    ) {
        self.address = address
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.limits = limits
        self.backlog = backlog
    }
}

/// Counters an ``HTTPServer`` keeps for stats pages and tests.
package struct HTTPServerStatistics: Sendable, Equatable {
    /// Connections being served now.
    package var openConnections = 0
    /// Connections accepted and served since start (rejected ones not included).
    package var acceptedConnections = 0
    /// Connections answered 503 because ``HTTPServerConfiguration/maxConnections`` was reached.
    package var rejectedConnections = 0
    /// Requests passed to the handler and answered.
    package var requestsHandled = 0
    /// Requests refused by the parser (4xx/5xx and closed).
    package var malformedRequests = 0
    /// Connections closed because they stayed idle or sent too slowly.
    package var idleTimeouts = 0

    /// All counters at zero.
    package init() {}
}
