#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// Serves one accepted connection on its own thread until the client closes, a deadline
/// passes (``RequestClock``), a request is malformed, the server evicts it for a newcomer,
/// or the server stops.
///
/// Buffers live for the whole connection: the parser's input buffer and the output buffer
/// are reused request after request, so a warm keep-alive connection allocates only what
/// the request and the handler themselves need.
struct ServerConnection: ~Copyable {
    private let server: HTTPServer
    private let id: Int
    private let socket: ConnectedSocket
    private var parser: HTTPRequestParser
    private var output: [UInt8] = []
    /// Requests answered since the count was last handed to the server's table (batched to
    /// ride on the lock taken anyway when going idle).
    private var handledSinceReport = 0
    /// When the accept loop took the connection: its first request's head is due from then.
    private let accepted: ContinuousClock.Instant

    init(server: HTTPServer, id: Int, socket: ConnectedSocket, accepted: ContinuousClock.Instant) {
        self.server = server
        self.id = id
        self.socket = socket
        self.accepted = accepted
        self.parser = HTTPRequestParser(limits: server.configuration.limits)
        output.reserveCapacity(1024)
    }

    consuming func run() {
        serve()
        let handled = handledSinceReport
        server.table.withLock { $0.remove(id, handled: handled) }
        try? socket.close()
    }

    private mutating func serve() {
        var clock = RequestClock(accepted: accepted, configuration: server.configuration)
        while true {
            let request: HTTPRequest?
            do {
                request = try parser.nextRequest()
            } catch {
                server.table.withLock { $0.statistics.malformedRequests += 1 }
                answerAndLinger(error.response)
                return
            }
            if let request {
                guard server.table.withLock({ $0.enterHandling(id) }) else { return }
                guard respond(to: request) else { return }
                clock.requestAnswered(nextAlreadyStarted: !parser.isBetweenRequests)
                continue
            }
            guard report(clock.needsMoreBytes(isBetweenRequests: parser.isBetweenRequests,
                                               awaitingBody: parser.isAwaitingBody)) else { return }
            do {
                // Between requests the next one is rarely there yet: poll before recv.
                let received = try parser.buffer.receive(
                    from: socket, atLeast: parser.bytesWanted, deadline: clock.deadline,
                    pollFirst: parser.isBetweenRequests)
                if received == 0 { return }
                clock.bytesArrived()
            } catch where error.isTimeout {
                timedOut(clock)
                return
            } catch {
                return  // reset by peer, interrupted by shutdown, or evicted for a newcomer
            }
        }
    }

    /// Tells the server's table what this connection now waits for; false means close.
    private mutating func report(_ change: RequestClock.Change?) -> Bool {
        switch change {
        case nil:
            return true
        case .idle:
            let handled = handledSinceReport
            handledSinceReport = 0
            return server.table.withLock { $0.enterIdle(id, handled: handled) }
        case .receiving:
            return server.table.withLock { $0.enterReceiving(id) }
        }
    }

    /// Closes a connection whose deadline passed: silently when it owed us nothing (idle, or
    /// a new connection that never sent a byte), with a 408 when a request was under way.
    private mutating func timedOut(_ clock: RequestClock) {
        guard let late = clock.lateRequestPart(bytesBuffered: !parser.isBetweenRequests) else {
            server.table.withLock { $0.statistics.idleTimeouts += 1 }
            return
        }
        server.table.withLock { $0.statistics.requestTimeouts += 1 }
        answerAndLinger(HTTPResponse(status: 408, text: late + "\n"))
    }

    /// Runs the handler and writes its response; returns whether to keep the connection.
    private mutating func respond(to request: HTTPRequest) -> Bool {
        let response = server.handler(request)
        handledSinceReport += 1
        let keepAlive = request.wantsKeepAlive
            && !response.headers.hasToken("close", in: "Connection")
            && !server.stopping.load(ordering: .acquiring)
        let sendBody = request.method != "HEAD" && HTTPResponse.statusAllowsBody(response.status)
        let writeDeadline = ContinuousClock.now + server.configuration.idleTimeout
        do {
            try write(response, keepAlive: keepAlive, version: request.version, body: sendBody, deadline: writeDeadline)
        } catch {
            return false
        }
        return keepAlive
    }

    private mutating func write(
        _ response: HTTPResponse,
        keepAlive: Bool,
        version: HTTPVersion,
        body sendBody: Bool,
        deadline: ContinuousClock.Instant
    ) throws(SystemError) {
        output.removeAll(keepingCapacity: true)
        MessageWriter.writeHead(of: response, keepAlive: keepAlive, requestVersion: version, into: &output)
        let body = sendBody ? response.body : []
        if body.count <= MessageWriter.inlineBodyLimit {
            output.append(contentsOf: body)
            try socket.send(output, deadline: deadline)
        } else {
            try socket.send(output, deadline: deadline, moreToCome: true)
            try socket.send(body, deadline: deadline)
        }
        // A large response should not pin a large buffer for the rest of the connection.
        if output.capacity > 64 * 1024 { output = [] }
    }

    /// Sends an error response, then half-closes and reads what the client is still sending
    /// (briefly) so our close sends FIN, not a reset that could discard the error unread.
    private mutating func answerAndLinger(_ response: HTTPResponse) {
        let deadline = ContinuousClock.now + .milliseconds(500)
        guard (try? write(response, keepAlive: false, version: .http1_1, body: true, deadline: deadline)) != nil else {
            return
        }
        socket.shutdownSending()
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        let lingerUntil = min(deadline, ContinuousClock.now + .milliseconds(200))
        while true {
            let count = scratch.withUnsafeMutableBytes { raw in
                (try? socket.receive(into: raw, deadline: lingerUntil)) ?? 0
            }
            if count == 0 { return }
        }
    }
}
