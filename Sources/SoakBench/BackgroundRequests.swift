import Glibc
import MiniHTTP
import SoakRun
import Synchronization

/// Requests one path at a steady pace from a thread of its own until stopped: it keeps the
/// sampling suite's target deploying and ghosting a large service, so its RSS moves and the
/// samplers' readings can be compared while memory changes.
final class BackgroundRequests: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let port: UInt16
    private let path: String
    private let period: Duration
    /// The thread's clock: `stop` wakes it mid-period.
    private let clock = SystemRunClock()

    init(port: UInt16, path: String, every seconds: Double) {
        self.port = port
        self.path = path
        period = .seconds(seconds)
    }

    /// Starts the thread.
    func start() throws {
        try PlainThread.start(name: "bench-requests") { [self] in
            defer { finished.store(true, ordering: .releasing) }
            guard let client = try? HTTPClient(host: "127.0.0.1", port: port) else { return }
            let isStopped = { self.stopped.load(ordering: .acquiring) }
            while !isStopped() {
                _ = try? client.get(path)
                _ = clock.sleep(until: clock.now + period, unless: isStopped)
            }
            client.close()
        }
    }

    /// Stops the thread and waits for it (bounded by one period and one request).
    func stop() {
        stopped.store(true, ordering: .releasing)
        clock.wake()
        _ = SystemRunClock.polling.poll(every: .milliseconds(1), for: .seconds(12)) {
            finished.load(ordering: .acquiring) ? true : nil
        }
    }
}
