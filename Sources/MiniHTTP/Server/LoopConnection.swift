#if canImport(Glibc)
import Glibc
#endif
import PosixSupport

/// One connection of the ``EventLoop``: its socket, parser, deadlines and pending output, and
/// which of four things it is doing. Used only on the loop's thread.
///
/// Buffers live for the whole connection: the parser's input buffer and the output buffer are
/// reused request after request, so a warm keep-alive connection allocates only what the
/// request and the handler themselves need.
final class LoopConnection {
    enum Phase {
        /// Waiting for (the rest of) a request, or parsing buffered ones.
        case reading
        /// A handler thread has the request; nothing is read meanwhile (pipelined requests wait
        /// in the socket, in order).
        case handling
        /// Part of a response is still to send, by `deadline`; then `next`.
        case writing(deadline: ContinuousClock.Instant, next: AfterWrite)
        /// An error response was sent and our side shut: reading what the client still sends
        /// until it closes or `until` passes, so our close sends FIN rather than a reset that could
        /// destroy the response unread.
        case lingering(until: ContinuousClock.Instant)
    }

    /// What follows a response once it is sent.
    enum AfterWrite {
        case keepReading, close
        /// Shut our side and linger, until at most `deadline`.
        case linger(deadline: ContinuousClock.Instant)
    }

    let id: Int
    let socket: ConnectedSocket
    var parser: HTTPRequestParser
    var clock: RequestClock
    var phase = Phase.reading
    /// The responses being sent, and how much of them the kernel has taken.
    var output: [UInt8] = []
    var outputSent = 0
    /// What the loop's poll watches this socket for.
    var interest = EventPoll.Events.readable
    /// False once the peer hung up while a handler ran: the socket left the poll (a hang-up is
    /// reported again and again, level-triggered) and the connection closes when the handler ends.
    var watched = true
    /// Whether a recv may find bytes: set when the poll says readable, cleared by an empty recv
    /// and after a response (a client reads its answer before sending more), which saves a recv
    /// that would fail on every request.
    var mayHaveBytes = true
    /// Set by the loop's close; a closed connection's descriptor number may already be reused.
    var closed = false

    init(id: Int, socket: ConnectedSocket, accepted: ContinuousClock.Instant, configuration: HTTPServerConfiguration) {
        self.id = id
        self.socket = socket
        parser = HTTPRequestParser(limits: configuration.limits)
        clock = RequestClock(accepted: accepted, configuration: configuration)
        output.reserveCapacity(1024)
    }

    /// The descriptor, for the poll.
    var descriptor: Int32 { socket.descriptor.rawValue }

    /// When the current wait ends; nil while a handler runs (a handler is not timed by the loop).
    var deadline: ContinuousClock.Instant? {
        switch phase {
        case .reading: clock.deadline
        case .handling: nil
        case .writing(let deadline, _): deadline
        case .lingering(let until): until
        }
    }

    /// Whether output is waiting to be sent: answers held while pipelined requests behind them
    /// were answered too, or what the socket did not take.
    var hasUnsentOutput: Bool { outputSent < output.count }

    /// Adds `response`'s head and body to the output, behind anything not yet sent.
    func prepare(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion, body sendBody: Bool) {
        if !hasUnsentOutput {
            // A large response should not pin a large buffer for the rest of the connection.
            if output.capacity > 64 * 1024 { output = [] }
            output.removeAll(keepingCapacity: true)
        } else if outputSent > 0 {
            output.removeSubrange(0..<outputSent)
        }
        outputSent = 0
        MessageWriter.writeHead(of: response, keepAlive: keepAlive, requestVersion: version, into: &output)
        if sendBody { output.append(contentsOf: response.body) }
    }

    /// Sends what the kernel will take now; true when the whole output is sent.
    func sendPending() throws(SystemError) -> Bool {
        while outputSent < output.count {
            let start = outputSent
            let outcome = output.withUnsafeBytes { raw in
                Result { () throws(SystemError) -> Int in
                    try socket.sendAvailable(UnsafeRawBufferPointer(rebasing: raw[start...]))
                }
            }
            let sent = try outcome.get()
            if sent == 0 { return false }
            outputSent += sent
        }
        return true
    }

    /// Reads and drops what the client has sent, without waiting; false once it has closed (or
    /// the connection broke), so lingering can end.
    func discardAvailable() -> Bool {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for _ in 0..<64 {
            let count = withUnsafeMutableBytes(of: &scratch) { raw in
                Result { () throws(SystemError) -> Int? in try socket.receiveAvailable(into: raw) }
            }
            switch count {
            case .success(nil): return true
            case .success(let received?) where received > 0: continue
            default: return false
            }
        }
        return true
    }
}
