import PosixSupport

/// The real clock: ``MonotonicClock`` time, and sleeps that poll a doorbell beside their deadline.
///
/// A clock that is woken belongs to one sleeping thread: its doorbell has one sleeper (see
/// ``WakeEvent``). Waits no one wakes share ``polling``. `soak run` hands its run thread's clock
/// to ``StopSignals``, so SIGTERM, SIGINT and `soak stop` ring it and every wait of the run ends
/// at once.
package final class SystemRunClock: RunClock {
    /// Nil for ``polling``, or when no pipe could be opened (out of descriptors): sleeps then
    /// wake every `fallbackStep` to check their condition, slower but never deaf.
    private let doorbell: WakeEvent?
    private let fallbackStep: Duration = .milliseconds(20)

    /// A clock with a doorbell of its own, for one thread whose sleeps others must cut short.
    package convenience init() {
        self.init(doorbell: try? WakeEvent())
    }

    private init(doorbell: WakeEvent?) {
        self.doorbell = doorbell
    }

    /// A clock no one wakes, shared by any number of threads: for waits that only poll (a lock,
    /// a file, a child's exit) and so need no doorbell, nor the two descriptors one costs.
    package static let polling = SystemRunClock(doorbell: nil)

    package var now: Duration { MonotonicClock.now }

    package func sleep(until deadline: Duration, unless interrupted: () -> Bool) -> Bool {
        while true {
            if interrupted() { return false }
            let current = MonotonicClock.now
            if current >= deadline { return true }
            if let doorbell {
                _ = doorbell.wait(until: deadline)
            } else {
                MonotonicClock.sleep(until: min(deadline, current + fallbackStep))
            }
        }
    }

    package func wake() {
        doorbell?.ring()
    }

    /// What a signal handler writes to, to wake this clock's sleeper (see ``WakeEvent/ring(descriptor:)``).
    var ringDescriptor: Int32? { doorbell?.ringDescriptor }
}
