#if canImport(Glibc)
import Glibc
#endif

/// The one place the project reads the monotonic clock.
///
/// Everything that measures or waits on wall time asks here: the harness's run clock, the
/// runtime's scaled clock and completion gates, the bench's stopwatches, and socket deadlines.
/// Keeping the read in one file makes "who looks at the time" a question with one answer, so
/// everything above it can take an injected clock and be tested without sleeping.
package enum MonotonicClock {
    /// The clock every reading and absolute sleep uses (for `pthread_condattr_setclock`, say).
    package static let clockID = CLOCK_MONOTONIC

    /// Time since an arbitrary fixed origin (boot); never goes backwards, never jumps with NTP.
    package static var now: Duration {
        var spec = timespec()
        clock_gettime(clockID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    /// Blocks the calling thread until `deadline` (on ``now``'s scale); returns at once when it
    /// has passed. Absolute, so a signal that interrupts the sleep never makes it drift.
    ///
    /// Nothing can cut this short: use it only where no one needs to be woken (a bench's pacing,
    /// the last fraction of a millisecond of a wakeable wait).
    package static func sleep(until deadline: Duration) {
        var target = absoluteTimespec(at: deadline)
        while clock_nanosleep(clockID, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// `deadline` (on ``now``'s scale) as the `timespec` that absolute waits on ``clockID`` take.
    package static func absoluteTimespec(at deadline: Duration) -> timespec {
        let clamped = max(deadline, .zero)
        let (seconds, attoseconds) = clamped.components
        return timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    }

    /// The standard library's reading of the time, for deadlines of that type (the sockets' API
    /// takes `ContinuousClock.Instant`, which the HTTP server and client share).
    package static var instant: ContinuousClock.Instant { ContinuousClock.now }

    /// A socket deadline `duration` from now.
    package static func deadline(after duration: Duration) -> ContinuousClock.Instant {
        instant + duration
    }
}
