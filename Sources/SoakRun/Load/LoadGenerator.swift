import CSystemShim
import Glibc
import MiniHTTP
import PosixSupport
import SoakProfiles
import Synchronization

/// The harness's own background load: one thread per connection, each at a lower priority so
/// the load can never starve the sampler or the scenario's timing, each with a keep-alive
/// connection of its own.
package final class LoadGenerator: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    /// Each connection's clock, so a stop wakes every sleeper at once (a clock has one sleeper).
    private let clocks: [SystemRunClock]
    package let tally = LoadTally()

    /// Starts `load` against `baseURL`; a connection that cannot start a thread is counted as a
    /// failed request, so a load that could not run at all makes the run invalid, not silent.
    package init(
        _ load: Profile.LoadRequests, baseURL: String?, timeout: Duration, bodyFiles: [String: [UInt8]],
        stopRequested: @escaping @Sendable () -> Bool
    ) {
        clocks = (0..<load.connections).map { _ in SystemRunClock() }
        for (index, clock) in clocks.enumerated() {
            let connection = LoadConnection(
                requests: load.requests, perSecond: load.perSecond, connections: load.connections, index: index)
            running.add(1, ordering: .sequentiallyConsistent)
            do {
                try PlainThread.start(name: "soak-load-\(index)") { [self] in
                    Self.lowerThisThreadsPriority()
                    // Made on its thread: the sender resolves the host and holds the connection.
                    let sender = HTTPRequestSender(baseURL: baseURL, timeout: timeout, bodyFiles: bodyFiles)
                    connection.run(clock: clock, sender: sender, tally: tally) {
                        stopped.load(ordering: .relaxed) || stopRequested()
                    }
                    running.subtract(1, ordering: .sequentiallyConsistent)
                }
            } catch {
                running.subtract(1, ordering: .sequentiallyConsistent)
                tally.record(latencyMilliseconds: 0, failure: "cannot start load connection \(index): \(error)")
            }
        }
    }

    /// Stops every connection and returns the totals. Waits at most `grace` for a request in
    /// flight; one still out then is left to fail on the target's teardown, uncounted.
    package func stop(grace: Duration) -> LoadTotals {
        stopped.store(true, ordering: .sequentiallyConsistent)
        for clock in clocks { clock.wake() }
        _ = SystemRunClock.polling.poll(every: .milliseconds(2), for: grace) {
            running.load(ordering: .sequentiallyConsistent) == 0 ? true : nil
        }
        return tally.totals()
    }

    /// Linux keeps a nice value per thread: nice +10 gives this thread a small share of a busy
    /// CPU while the run's own thread keeps its full one. Best effort: refused, it runs at the
    /// harness's priority.
    private static func lowerThisThreadsPriority() {
        _ = lazysoak_set_thread_nice(10)
    }
}
