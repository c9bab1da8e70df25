import Glibc
import MiniHTTP
import Synchronization

/// Requests one path at a steady pace from a thread of its own until stopped: it keeps the
/// sampling suite's target deploying and ghosting a large service, so its RSS moves and the
/// samplers' readings can be compared while memory changes.
final class BackgroundRequests: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let port: UInt16
    private let path: String
    private let periodMicros: UInt32

    init(port: UInt16, path: String, every seconds: Double) {
        self.port = port
        self.path = path
        periodMicros = UInt32(seconds * 1e6)
    }

    /// Starts the thread.
    func start() throws {
        try PlainThread.start(name: "bench-requests") { [self] in
            defer { finished.store(true, ordering: .releasing) }
            guard let client = try? HTTPClient(host: "127.0.0.1", port: port) else { return }
            while !stopped.load(ordering: .acquiring) {
                _ = try? client.get(path)
                usleep(periodMicros)
            }
            client.close()
        }
    }

    /// Stops the thread and waits for it (bounded by one period and one request).
    func stop() {
        stopped.store(true, ordering: .releasing)
        let deadline = ContinuousClock.now + .seconds(12)
        while !finished.load(ordering: .acquiring), ContinuousClock.now < deadline { usleep(1_000) }
    }
}
