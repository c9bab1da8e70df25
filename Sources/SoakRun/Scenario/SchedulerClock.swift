import Glibc
import Synchronization

/// Wall time as the harness's scheduler sees it. Injected, so unit tests replay days of
/// scenario instantly: the manual clock's `sleep` just moves time forward.
package protocol SchedulerClock: Sendable {
    /// Wall time since an arbitrary fixed origin.
    var now: Duration { get }
    /// Returns at `deadline` (immediately when it has passed).
    func sleep(until deadline: Duration)
}

/// The real monotonic clock.
package struct MonotonicClock: SchedulerClock {
    package init() {}

    package var now: Duration {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    package func sleep(until deadline: Duration) {
        let (seconds, attoseconds) = deadline.components
        var target = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        // Absolute deadlines do not drift when a sleep is interrupted or the loop runs late.
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}

/// A clock that moves only when something sleeps or `advance` is called; for tests.
package final class ManualSchedulerClock: SchedulerClock {
    private let current = Mutex(Duration.zero)

    package init() {}

    package var now: Duration { current.withLock { $0 } }

    package func sleep(until deadline: Duration) {
        current.withLock { $0 = max($0, deadline) }
    }

    /// Moves time forward, as a slow request would.
    package func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}
