import Glibc
import PosixSupport

/// `soak stop`'s half of a stop: ask the harness running a folder to stop, then wait until it has
/// finished the run and let go of the folder.
package enum HarnessStop {
    /// How often the wait looks at the harness (nothing rings across processes).
    static let lookEvery: Duration = .milliseconds(50)

    /// Asks the harness `pid` to stop with SIGTERM. Its handler (``StopSignals``) rings the run's
    /// clock, so whatever the run waits on (a 10-minute sample period, a day-long cycle at a slow
    /// scale, seeding, readiness) ends at once, the same path as a SIGTERM or SIGINT from anyone.
    package static func request(pid: Int32) throws(SystemError) {
        try PosixProcess.send(SIGTERM, to: pid)
    }

    /// Waits on `clock` until the harness `pid` of `folder` is gone; false when `timeout` passed first.
    ///
    /// The harness is done when it has exited: it drops the lock only then, after `summary.json`.
    package static func waitUntilEnded(
        folder: RunFolder, pid: Int32, timeout: Duration, clock: any RunClock = SystemRunClock.polling
    ) -> Bool {
        waitUntilEnded(timeout: timeout, clock: clock) {
            !RunLock.isHeld(folder) && !HarnessLiveness.isRunning(pid: pid)
        }
    }

    /// Checks `ended` every ``lookEvery`` for at most `timeout`; true once it holds.
    static func waitUntilEnded(timeout: Duration, clock: any RunClock, _ ended: () -> Bool) -> Bool {
        if case .value = clock.poll(every: lookEvery, for: timeout, { ended() ? true : nil }) { return true }
        return false
    }
}
