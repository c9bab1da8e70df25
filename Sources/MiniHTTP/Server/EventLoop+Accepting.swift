#if canImport(Glibc)
import Glibc
#endif
import PosixSupport

extension EventLoop {
    /// Accepts what waits in the backlog, a bounded number per turn so a flood of connects
    /// cannot starve the connections already served.
    func acceptPending(_ now: ContinuousClock.Instant) {
        for _ in 0..<64 {
            guard let listener else { return }
            do {
                guard let accepted = try EventPoll.accept(from: listener.descriptor.rawValue) else { return }
                let socket = ConnectedSocket(descriptor: accepted)
                // A peer that already reset makes this fail; the first read will report it properly.
                try? socket.descriptor.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, name: "TCP_NODELAY")
                admit(socket, now)
            } catch where error.errno == ECONNABORTED || error.errno == EPROTO {
                continue  // the client gave up before we accepted; nothing to serve
            } catch {
                // Out of descriptors or memory: stop watching the listener (it would stay readable
                // and spin the loop) and try again shortly.
                poll.remove(listener.descriptor.rawValue)
                acceptResumes = now + .milliseconds(10)
                return
            }
        }
    }

    func resumeAccepting() {
        acceptResumes = nil
        guard let listener else { return }
        try? poll.add(listener.descriptor.rawValue, token: Self.listenerToken, interest: .readable)
    }

    private func admit(_ socket: ConnectedSocket, _ now: ContinuousClock.Instant) {
        let open = connections
        switch slots.admit(peek: { open[$0]?.socket.peekUnreadRequest() ?? .nothing }) {
        case .full:
            server.count { $0.rejectedConnections += 1 }
            let limit = configuration.maxConnections
            refuse(socket, message: "all \(limit) connections are handling requests; retry later")
        case .closing:
            // Evicted connections close at once here, so the table never holds closing ones.
            refuse(socket, message: "too many evicted connections still closing; retry later")
        case .admit(let id, let evicting):
            if let evicting, let victim = connections[evicting] {
                server.count { $0.evictedConnections += 1 }
                close(victim)
            }
            let connection = LoopConnection(id: id, socket: socket, accepted: now, configuration: configuration)
            do {
                try poll.add(connection.descriptor, token: UInt64(id), interest: .readable)
            } catch {
                slots.remove(id)
                return refuse(socket, message: "cannot watch the connection (\(error))")
            }
            connections[id] = connection
            let live = slots.liveCount
            server.count {
                $0.acceptedConnections += 1
                $0.openConnections = live
            }
            note(connection.deadline)
            // A client connects when its request is ready, so it is often there already.
            advance(connection, now)
        }
    }

    /// Answers 503 and closes, without waiting on a slow client: the reply fits in the socket
    /// buffer, and draining what the client already sent lets the close send FIN rather than a
    /// reset that could destroy the reply before it is read.
    private func refuse(_ socket: ConnectedSocket, message: String) {
        var bytes: [UInt8] = []
        let response = HTTPResponse(status: 503, text: message + "\n")
        MessageWriter.writeHead(of: response, keepAlive: false, requestVersion: .http1_1, into: &bytes)
        bytes.append(contentsOf: response.body)
        _ = bytes.withUnsafeBytes { try? socket.sendAvailable($0) }
        socket.shutdownSending()
        socket.drainAvailable()
        try? socket.close()
    }
}
