import Glibc
import PosixSupport
import Testing
@testable import MiniHTTP

/// Mutated requests from a fixed seed (``RequestFuzzer``): the parser must agree with itself
/// however the bytes are split, and a live server must answer each with a status or close,
/// never crash or hang, and still serve a normal request afterwards.
@Suite(.timeLimit(.minutes(1)))
struct HTTPFuzzTests {
    /// What a parser made of some input: the requests it returned, then whether it stopped
    /// on an error (true) or wanted more bytes (false).
    private struct Outcome: Equatable {
        var requests: [HTTPRequest] = []
        var failed = false
        var status: Int?
    }

    private func parse(_ chunks: [ArraySlice<UInt8>]) -> Outcome {
        var parser = HTTPRequestParser(limits: .init(maxHeaderBytes: 1024, maxBodyBytes: 2048))
        var outcome = Outcome()
        for chunk in chunks {
            parser.append(chunk)
            do {
                while let request = try parser.nextRequest() { outcome.requests.append(request) }
            } catch {
                outcome.failed = true
                outcome.status = error.status
                return outcome
            }
        }
        return outcome
    }

    @Test func theParserAgreesWithItselfHoweverTheBytesAreSplit() {
        // Inputs up to 4 KB against a 1 KiB header limit: big enough to cross it, small enough
        // to split into thousands of pieces quickly.
        var fuzzer = RequestFuzzer(seed: 17, sizeLimit: 4000)
        for index in 0..<1000 {
            let input = fuzzer.next()
            let whole = parse([input[...]])
            var chunks: [ArraySlice<UInt8>] = []
            var start = 0
            while start < input.count {
                // Mostly small pieces, where boundaries fall inside lines, some large ones.
                let size = fuzzer.number(in: 0...3) == 0 ? fuzzer.number(in: 1...4096) : fuzzer.number(in: 1...24)
                let end = min(input.count, start + size)
                chunks.append(input[start..<end])
                start = end
            }
            let split = parse(chunks)
            // The status may differ between 400 and 431 (a bare LF found before, or after, the
            // buffered bytes passed the header limit); what was parsed, and that it failed, may not.
            #expect(whole.requests == split.requests && whole.failed == split.failed,
                    "case \(index): \(whole) whole, \(split) split")
            if let status = whole.status {
                #expect([400, 413, 431, 501, 505].contains(status), "case \(index): status \(status)")
            }
        }
    }

    @Test func aServerAnswersEveryMutantWithAStatusOrClosesAndCarriesOn() throws {
        let configuration = HTTPServerConfiguration(
            maxConnections: 32, idleTimeout: .seconds(2), headerTimeout: .seconds(1),
            limits: .init(maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024))
        try withServer(configuration) { (server, address) throws in
            var fuzzer = RequestFuzzer(seed: 9112)
            let inputs = (0..<160).map { _ in fuzzer.next() }
            // Four senders at once keep the suite quick; each input has its own connection.
            let senders = try (0..<4).map { sender in
                try BackgroundCall { () -> [String] in
                    stride(from: sender, to: inputs.count, by: 4).compactMap { index in
                        Self.problem(sending: inputs[index], to: address).map { "case \(index): \($0)" }
                    }
                }
            }
            for sender in senders {
                let problems = try #require(sender.wait(timeout: .seconds(40)), "a sender hung")
                #expect(problems.isEmpty, "\(problems.prefix(5))")
            }
            let normal = try HTTPClient(address: address).get("/after-the-fuzz")
            #expect(normal.status == 200 && normal.bodyText == "ok /after-the-fuzz")
            #expect(eventually { server.statistics.openConnections <= 1 }, "no connection left behind")
        }
    }

    /// Sends `input`, half-closes, and reads to the end; returns what was wrong with the
    /// server's answer, or nil when it answered with a status line or simply closed.
    private static func problem(sending input: [UInt8], to address: SocketAddress) -> String? {
        let socket: ConnectedSocket
        do {
            socket = try ConnectedSocket.connect(to: address, deadline: .now + .seconds(2))
        } catch {
            return "connect failed: \(error)"
        }
        defer { try? socket.close() }
        // The server may answer and close before taking everything (431 on a huge head), so a
        // failed send is fine: the reply is what is judged.
        try? socket.send(input, deadline: .now + .seconds(2))
        socket.shutdownSending()
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                let count = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: deadline) }
                if count == 0 { break }
                reply.append(contentsOf: chunk[..<count])
            } catch let error as SystemError where error.isTimeout {
                return "no answer and no close within 5 s"
            } catch {
                break  // reset: a close, as far as the client can tell
            }
        }
        guard !reply.isEmpty else { return nil }
        let head = String(decoding: reply.prefix(12), as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 "), let status = Int(head.dropFirst(9).prefix(3)),
              (200...599).contains(status) else {
            return "not a status line: \(head.debugDescription)"
        }
        return nil
    }
}
