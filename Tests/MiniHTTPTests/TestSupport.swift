import Glibc
import Synchronization
import Testing
@testable import MiniHTTP

/// Starts a server on 127.0.0.1:0, runs `body`, and always shuts the server down.
func withServer<Value>(
    _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
    handler: @escaping HTTPServer.Handler = { HTTPResponse(text: "ok \($0.path)") },
    _ body: (HTTPServer, SocketAddress) throws -> Value
) throws -> Value {
    let server = HTTPServer(configuration: configuration, handler: handler)
    let address = try server.start()
    defer { server.shutdown(graceWall: .seconds(2)) }
    return try body(server, address)
}

/// Polls `condition` every millisecond until it holds or `timeout` passes.
@discardableResult
func eventually(timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

/// Runs `body` on its own thread (not the test's cooperative pool) and collects its result.
final class BackgroundCall<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)

    init(_ body: @escaping @Sendable () -> Value) throws {
        try PlainThread.start(name: "test-call") {
            let value = body()
            self.result.withLock { $0 = value }
        }
    }

    /// The result, or nil if `body` did not finish within `timeout`.
    func wait(timeout: Duration = .seconds(5)) -> Value? {
        var value: Value?
        eventually(timeout: timeout) {
            value = result.withLock { $0 }
            return value != nil
        }
        return value
    }
}

/// A request head as an HTTP/1.1 client must send it: with Host (RFC 9112 §3.2), which the
/// server refuses to do without. For raw-socket tests; ``HTTPClient`` adds Host itself.
func requestHead(_ target: String, method: String = "GET", headers: [String] = []) -> String {
    ([method + " " + target + " HTTP/1.1", "Host: 127.0.0.1"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
}

/// A raw TCP connection for sending bytes the client would never produce.
struct RawConnection: ~Copyable {
    let socket: ConnectedSocket

    init(_ address: SocketAddress) throws {
        socket = try ConnectedSocket.connect(to: address, deadline: .now + .seconds(2))
    }

    deinit { try? socket.close() }

    func send(_ text: String) throws {
        try socket.send(Array(text.utf8), deadline: .now + .seconds(2))
    }

    /// Reads until the server closes (or `timeout`), returning everything as text.
    func readToEnd(timeout: Duration = .seconds(3)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: deadline) }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
