#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// Serves one accepted connection on its own thread until the client closes, the idle
/// timeout passes, a request is malformed, or the server stops.
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

    init(server: HTTPServer, id: Int, socket: ConnectedSocket) {
        self.server = server
        self.id = id
        self.socket = socket
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
        let idleTimeout = server.configuration.idleTimeout
        // One deadline per request, reset after each response: a client must send a whole
        // request within the idle timeout, so trickling a byte at a time cannot hold a thread.
        var deadline = ContinuousClock.now + idleTimeout
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
                guard respond(to: request) else { return }
                deadline = ContinuousClock.now + idleTimeout
                continue
            }
            let wasIdle = parser.isBetweenRequests
            if wasIdle {
                let handled = handledSinceReport
                handledSinceReport = 0
                guard server.table.withLock({ $0.enterIdle(id, handled: handled) }) else { return }
            }
            do {
                // Between requests the next one is rarely there yet: poll before recv.
                let received = try parser.buffer.receive(
                    from: socket, atLeast: parser.bytesWanted, deadline: deadline, pollFirst: wasIdle)
                if received == 0 { return }
            } catch where error.isTimeout {
                server.table.withLock { $0.statistics.idleTimeouts += 1 }
                if !parser.isBetweenRequests {
                    answerAndLinger(HTTPResponse(status: 408, text: "request not received within \(idleTimeout)\n"))
                }
                return
            } catch {
                return  // reset by peer, or interrupted by shutdown
            }
            if wasIdle { server.table.withLock { $0.enterBusy(id) } }
        }
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
