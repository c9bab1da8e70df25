import Synchronization

/// When the sweeper means to wake next, and the doorbell that wakes it sooner.
///
/// The sweeper sleeps until the earliest idle deadline it knows of. A request's end starts new
/// idle periods; when one of them ends before the planned wake (typically the first request
/// after everything went idle, when the sweeper sleeps with nothing due), the request rings the
/// doorbell and the sweeper plans again. Otherwise a request costs one uncontended lock.
final class SweepSchedule: Sendable {
    private struct State {
        /// The planned wake; nil while the sweeper is planning or has nothing due, when any new
        /// deadline rings.
        var plannedWake: SimulatedTime?
        var doorbell: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Connects the sweeper's doorbell; nil disconnects it.
    func connect(_ doorbell: (@Sendable () -> Void)?) {
        state.withLock { $0.doorbell = doorbell }
    }

    /// The sweeper is about to sweep and plan: every deadline created from now on rings, so none
    /// slips between its scan and its sleep.
    func planning() {
        state.withLock { $0.plannedWake = nil }
    }

    /// The sweeper will sleep until `wake` (nil: until rung).
    func planned(_ wake: SimulatedTime?) {
        state.withLock { $0.plannedWake = wake }
    }

    /// A new idle deadline at `deadline` or later exists; rings the sweeper when it would sleep past it.
    func deadlineCreated(at deadline: SimulatedTime) {
        let ring = state.withLock { state -> (@Sendable () -> Void)? in
            guard let doorbell = state.doorbell else { return nil }
            if let wake = state.plannedWake, wake <= deadline { return nil }
            // Ring once: until the sweeper plans again, this deadline is the one it will see.
            state.plannedWake = deadline
            return doorbell
        }
        ring?()
    }
}
