import PosixSupport

/// The real clock: ``MonotonicClock`` time, and sleeps that poll a doorbell beside their deadline.
///
/// Give each sleeping thread its own clock: the doorbell has one sleeper (see ``WakeEvent``).
/// `soak run` hands its run thread's clock to ``StopSignals``, so SIGTERM, SIGINT and `soak stop`
/// ring it and every wait of the run ends at once.
package final class SystemRunClock: RunClock {
    /// Nil only when no pipe could be opened (out of descriptors): sleeps then wake every
    /// `fallbackStep` to check their condition, slower but never deaf.
    private let doorbell: WakeEvent?
    private let fallbackStep: Duration = .milliseconds(20)

    package init() {
        doorbell = try? WakeEvent()
    }

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
