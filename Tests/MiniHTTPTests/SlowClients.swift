import Glibc
import Synchronization
@testable import MiniHTTP

/// A slowloris attacker for tests: `count` connections on one thread, each sending a request
/// head one byte per `interval` and never finishing it. A connection the server lets go is
/// replaced on the next tick, as slowloris tools do, so the attack keeps its strength.
/// 127.0.0.1 only, like every test here. The thread keeps the instance alive: always call
/// ``stop()`` (in a defer).
final class SlowClients: Sendable {
    /// Connects made (the first `count` included) and connections the server closed.
    struct Tally: Sendable, Equatable {
        var connects = 0
        var dropped = 0
    }

    private let stopping = Atomic<Bool>(false)
    private let counts = Mutex(Tally())
    private let thread = Mutex<pthread_t?>(nil)

    /// Starts the attack; it runs until ``stop()``.
    init(count: Int, against address: SocketAddress, interval: Duration = .milliseconds(100)) throws {
        let started = try PlainThread.start(name: "slow-clients", joinable: true) {
            self.run(count: count, address: address, interval: interval)
        }
        thread.withLock { $0 = started }
    }

    /// What the attack has done so far.
    var tally: Tally { counts.withLock { $0 } }

    /// Ends the attack and closes its connections.
    func stop() {
        stopping.store(true, ordering: .releasing)
        if let running = thread.withLock({ thread in defer { thread = nil }; return thread }) {
            PlainThread.join(running)
        }
    }

    private static let head = Array("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)

    private struct Victim {
        var socket: ConnectedSocket
        var sent = 0
    }

    private func run(count: Int, address: SocketAddress, interval: Duration) {
        var victims: [Victim] = []
        defer { for victim in victims { try? victim.socket.close() } }
        var nextTick = ContinuousClock.now
        var scratch = [UInt8](repeating: 0, count: 4096)
        while !stopping.load(ordering: .acquiring) {
            if ContinuousClock.now >= nextTick {
                nextTick = ContinuousClock.now + interval
                for index in victims.indices { trickle(&victims[index]) }
                while victims.count < count, let fresh = connect(address) { victims.append(fresh) }
            }
            // Wait up to 5 ms for the server to close (or answer) any of them.
            var watched = victims.map { pollfd(fd: $0.socket.descriptor.rawValue, events: Int16(POLLIN), revents: 0) }
            guard poll(&watched, nfds_t(watched.count), 5) > 0 else { continue }
            for index in victims.indices.reversed() where watched[index].revents != 0 {
                let count = scratch.withUnsafeMutableBytes {
                    (try? victims[index].socket.receive(into: $0, deadline: .now)) ?? 0
                }
                if count > 0 { continue }  // an error response; the close follows
                try? victims[index].socket.close()
                victims.remove(at: index)
                counts.withLock { $0.dropped += 1 }
            }
        }
    }

    /// One more byte of a head that never ends (the fixed part first, then "a" forever).
    private func trickle(_ victim: inout Victim) {
        let byte = victim.sent < Self.head.count ? Self.head[victim.sent] : UInt8(ascii: "a")
        // A zero deadline: a full send buffer skips a tick instead of stalling the attack.
        if (try? victim.socket.send([byte], deadline: .now)) != nil { victim.sent += 1 }
    }

    private func connect(_ address: SocketAddress) -> Victim? {
        guard let socket = try? ConnectedSocket.connect(to: address, deadline: .now + .seconds(1)) else { return nil }
        counts.withLock { $0.connects += 1 }
        var victim = Victim(socket: socket)
        trickle(&victim)  // the first byte at once, so the server sees a request begun
        return victim
    }
}
