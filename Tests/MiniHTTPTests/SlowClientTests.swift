import Glibc
import PosixSupport
import Testing
@testable import MiniHTTP

/// Issue 17: slow clients must not take the server away from everyone else. Real sockets on
/// 127.0.0.1 with short real deadlines; each test takes a second or two.
@Suite(.timeLimit(.minutes(1)))
struct SlowClientTests {
    /// Sends `count` requests from 4 clients at once, each request on a new connection as a
    /// fresh client would, and returns how many were answered 200.
    private func normalRequests(_ count: Int, to address: SocketAddress) throws -> Int {
        let clients = 4
        let calls = try (0..<clients).map { client in
            try BackgroundCall {
                stride(from: client, to: count, by: clients).count { index in
                    let url = "http://\(address)/normal/\(index)"
                    return (try? HTTPClient.get(url: url, timeout: .seconds(2)))?.status == 200
                }
            }
        }
        return calls.reduce(0) { $0 + ($1.wait(timeout: .seconds(30)) ?? 0) }
    }

    @Test(arguments: [nil, 16] as [Int?])
    func normalRequestsAreServedWhileMoreSlowClientsThanSlotsDribble(incompleteCap: Int?) throws {
        // 24 slow clients (a byte every 100 ms) against 16 slots. With the default cap (8) the cap
        // makes room; with a cap of 16 the full table does. Before issue 17 every normal request
        // got 503.
        let configuration = HTTPServerConfiguration(maxConnections: 16, maxIncompleteConnections: incompleteCap)
        try withServer(configuration) { (server, address) throws in
            let attack = try SlowClients(count: 24, against: address)
            defer { attack.stop() }
            #expect(eventually { server.statistics.evictedConnections >= 8 }, "the attack must hold the slots first")
            let served = try normalRequests(100, to: address)
            let tally = attack.tally
            attack.stop()
            #expect(served >= 99, "\(served) of 100 normal requests answered 200 during the attack (\(tally))")
            #expect(tally.dropped >= 8, "slow clients were evicted and came back: \(tally)")
            #expect(server.statistics.rejectedConnections == 0)
        }
    }

    @Test func aTricklingHeadIsCutAtTheHeaderDeadlineNotExtended() throws {
        let configuration = HTTPServerConfiguration(idleTimeout: .seconds(30), headerTimeout: .milliseconds(500))
        try withServer(configuration) { (server, address) throws in
            let raw = try RawConnection(address)
            let (reply, elapsed, bytesSent) = try trickle(raw, every: .milliseconds(100), for: .seconds(3))
            #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "got \(reply.prefix(60))")
            #expect(reply.hasSuffix("request head not received within 0.5 seconds\n"))
            #expect(elapsed >= .milliseconds(450) && elapsed < .milliseconds(1200),
                    "cut \(elapsed) after the first byte; a byte every 100 ms must not extend 500 ms")
            #expect(bytesSent >= 4 && bytesSent <= 12)
            #expect(server.statistics.requestTimeouts == 1)
            #expect(eventually { server.statistics.openConnections == 0 })
        }
    }

    @Test func onKeepAliveTheHeadClockStartsAtTheNextRequestsFirstByte() throws {
        let configuration = HTTPServerConfiguration(idleTimeout: .seconds(30), headerTimeout: .milliseconds(500))
        try withServer(configuration) { (_, address) throws in
            let raw = try RawConnection(address)
            try raw.send(requestHead("/first"))
            var buffer = [UInt8](repeating: 0, count: 4096)
            let deadline = ContinuousClock.now + .seconds(2)
            let count = try buffer.withUnsafeMutableBytes { try raw.socket.receive(into: $0, deadline: deadline) }
            #expect(String(decoding: buffer[..<count], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
            usleep(700_000)  // idle longer than the header timeout: idle time is not head time
            let (reply, elapsed, _) = try trickle(raw, every: .milliseconds(100), for: .seconds(3))
            #expect(reply.hasPrefix("HTTP/1.1 408 "), "got \(reply.prefix(60))")
            #expect(elapsed >= .milliseconds(450) && elapsed < .milliseconds(1200), "cut after \(elapsed)")
        }
    }

    @Test func aHeadSentInPiecesWithinTheDeadlineIsServed() throws {
        let configuration = HTTPServerConfiguration(headerTimeout: .milliseconds(500))
        try withServer(configuration) { (_, address) throws in
            let raw = try RawConnection(address)
            let head = requestHead("/pieces", headers: ["Connection: close"])
            let third = head.index(head.startIndex, offsetBy: head.count / 3)
            let twoThirds = head.index(third, offsetBy: head.count / 3)
            for piece in [head[..<third], head[third..<twoThirds], head[twoThirds...]] {
                try raw.send(String(piece))
                usleep(100_000)
            }
            #expect(try raw.readToEnd().hasSuffix("ok /pieces"))
        }
    }

    @Test func aSilentConnectionIsClosedQuietlyAtTheHeaderDeadline() throws {
        let configuration = HTTPServerConfiguration(idleTimeout: .seconds(30), headerTimeout: .milliseconds(300))
        try withServer(configuration) { (server, address) throws in
            let raw = try RawConnection(address)
            let start = ContinuousClock.now
            #expect(try raw.readToEnd(timeout: .seconds(3)) == "", "nothing was asked, so nothing is answered")
            #expect(ContinuousClock.now - start < .seconds(1))
            #expect(server.statistics.idleTimeouts == 1 && server.statistics.requestTimeouts == 0)
        }
    }

    /// Sends a never-ending head one byte per `interval` until the server answers or closes
    /// (or `limit` passes); returns the reply, the time from the first byte to the end, and
    /// how many bytes were sent.
    private func trickle(
        _ raw: borrowing RawConnection,
        every interval: Duration,
        for limit: Duration
    ) throws -> (reply: String, elapsed: Duration, bytesSent: Int) {
        let head = Array("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        let start = ContinuousClock.now
        var sent = 0
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now - start < limit {
            let byte = sent < head.count ? head[sent] : UInt8(ascii: "a")
            guard (try? raw.socket.send([byte], deadline: .now + .seconds(1))) != nil else { break }
            sent += 1
            let deadline = ContinuousClock.now + interval
            do {
                let count = try chunk.withUnsafeMutableBytes { try raw.socket.receive(into: $0, deadline: deadline) }
                if count == 0 { break }
                reply.append(contentsOf: chunk[..<count])
            } catch let error as SystemError where error.isTimeout {
                continue  // no answer yet: next byte
            } catch {
                break  // reset: the server is gone from this connection
            }
        }
        let elapsed = ContinuousClock.now - start
        if !reply.isEmpty, let rest = try? raw.readToEnd(timeout: .seconds(1)) {
            reply.append(contentsOf: Array(rest.utf8))
        }
        return (String(decoding: reply, as: UTF8.self), elapsed, sent)
    }
}
