#if canImport(Glibc)
import Glibc
#endif
import PosixSupport

extension EventLoop {
    /// What the poll reported for a connection.
    func handle(_ events: EventPoll.Events, on connection: LoopConnection, _ now: ContinuousClock.Instant) {
        switch connection.phase {
        case .reading:
            connection.mayHaveBytes = true
            advance(connection, now)
        case .handling:
            // Only a hang-up or error can be reported now. Level-triggered, it would be reported
            // on every turn until the handler ends, so the socket leaves the poll.
            poll.remove(connection.descriptor)
            connection.watched = false
        case .writing:
            flush(connection, now)
            if case .reading = connection.phase { advance(connection, now) }
        case .lingering:
            if !connection.discardAvailable() { close(connection) }
        }
    }

    /// Parses and answers what is buffered, reading more while the client has sent it, until the
    /// connection waits: for bytes, a handler, or the socket to take a response.
    func advance(_ connection: LoopConnection, _ now: ContinuousClock.Instant) {
        while !connection.closed, case .reading = connection.phase {
            let request: HTTPRequest?
            do {
                request = try connection.parser.nextRequest()
            } catch {
                server.count { $0.malformedRequests += 1 }
                return answerAndLinger(connection, error.response, now)
            }
            if let request {
                guard slots.move(connection.id, to: .handling) else {
                    // Answers held for this one still go, as far as the socket takes them.
                    _ = try? connection.sendPending()
                    return close(connection)
                }
                if let response = server.inlineHandler?(request) {
                    // With a pipelined request already buffered behind it, the answer waits to go
                    // out with that one's: one send and one wake-up of the client for all.
                    respond(connection, to: request, with: response, now,
                            holding: connection.parser.bufferedByteCount > 0)
                    continue
                }
                // What was held goes now; the socket takes what it can, and the handler's answer
                // goes out behind the rest.
                _ = try? connection.sendPending()
                connection.phase = .handling
                watch(connection, for: [])
                if !pool.submit(HandlerPool.Job(connection: connection.id, request: request)) {
                    let refusal = HTTPResponse(status: 503, text: "cannot start a handler thread; retry later\n")
                    respond(connection, to: request, with: refusal, now, forceClose: true)
                }
                return
            }
            if connection.hasUnsentOutput {
                // Held answers go before the loop waits for the rest of a request.
                connection.phase = .writing(deadline: now + configuration.idleTimeout, next: .keepReading)
                flush(connection, now)
                continue
            }
            let change = connection.clock.needsMoreBytes(
                isBetweenRequests: connection.parser.isBetweenRequests,
                awaitingBody: connection.parser.isAwaitingBody, now: now)
            guard report(change, for: connection) else { return close(connection) }
            note(connection.deadline)
            guard connection.mayHaveBytes else { return }
            do {
                let received = try connection.parser.buffer.receiveAvailable(
                    from: connection.socket, atLeast: connection.parser.bytesWanted)
                guard let received else {
                    connection.mayHaveBytes = false
                    return
                }
                if received == 0 { return close(connection) }
                connection.clock.bytesArrived(now: now)
                note(connection.deadline)
            } catch {
                return close(connection)  // reset by peer
            }
        }
    }

    /// A handler thread's response, for a connection that may have gone meanwhile.
    func deliver(_ done: HandlerPool.Finished, _ now: ContinuousClock.Instant) {
        guard let connection = connections[done.connection] else { return }
        guard connection.watched else { return close(connection) }
        respond(connection, to: done.request, with: done.response, now)
        if case .reading = connection.phase { advance(connection, now) }
    }

    /// Tells the slots what the connection now waits for; false means close.
    private func report(_ change: RequestClock.Change?, for connection: LoopConnection) -> Bool {
        switch change {
        case nil: true
        case .idle: stopDeadline == nil && slots.move(connection.id, to: .idle)
        case .receiving: slots.move(connection.id, to: .receiving)
        }
    }

    /// Writes a response; keeps the connection when both sides want it and the server runs on.
    /// `holding` keeps a kept connection's response in the output, unsent, for the next one.
    private func respond(
        _ connection: LoopConnection, to request: HTTPRequest, with response: HTTPResponse,
        _ now: ContinuousClock.Instant, forceClose: Bool = false, holding: Bool = false
    ) {
        server.count { $0.requestsHandled += 1 }
        let keepAlive = !forceClose && request.wantsKeepAlive
            && !response.headers.hasToken("close", in: "Connection") && stopDeadline == nil
        let sendBody = request.method != "HEAD" && HTTPResponse.statusAllowsBody(response.status)
        connection.prepare(response, keepAlive: keepAlive, version: request.version, body: sendBody)
        connection.phase = .writing(deadline: now + configuration.idleTimeout, next: keepAlive ? .keepReading : .close)
        guard holding, keepAlive else { return flush(connection, now) }
        connection.phase = .reading
        connection.clock.requestAnswered(nextAlreadyStarted: true, now: now)
    }

    /// Sends an error response, then shuts our side and lingers briefly (see `Phase.lingering`).
    func answerAndLinger(_ connection: LoopConnection, _ response: HTTPResponse, _ now: ContinuousClock.Instant) {
        connection.prepare(response, keepAlive: false, version: .http1_1, body: true)
        let deadline = now + .milliseconds(500)
        connection.phase = .writing(deadline: deadline, next: .linger(deadline: deadline))
        flush(connection, now)
    }

    /// Sends what the socket takes; when all is sent, moves on to what follows the response.
    private func flush(_ connection: LoopConnection, _ now: ContinuousClock.Instant) {
        guard case .writing(_, let next) = connection.phase else { return }
        do {
            guard try connection.sendPending() else {
                watch(connection, for: .writable)
                return note(connection.deadline)
            }
        } catch {
            return close(connection)
        }
        switch next {
        case .close:
            close(connection)
        case .linger(let deadline):
            connection.socket.shutdownSending()
            connection.phase = .lingering(until: min(deadline, now + .milliseconds(200)))
            watch(connection, for: .readable)
            note(connection.deadline)
        case .keepReading:
            connection.phase = .reading
            connection.mayHaveBytes = false
            connection.clock.requestAnswered(nextAlreadyStarted: !connection.parser.isBetweenRequests, now: now)
            watch(connection, for: .readable)
        }
    }
}
