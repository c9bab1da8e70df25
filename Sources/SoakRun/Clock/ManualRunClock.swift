import Synchronization

/// A clock that moves only when something sleeps on it or ``advance(by:)`` is called; for tests.
///
/// What would happen meanwhile in a real run (a signal arriving, a child exiting, a harness
/// letting go of its lock) is scheduled at a time with ``at(_:_:)``: a sleep that reaches that
/// time runs the action and re-checks its condition, as a real sleep does when its doorbell rings.
/// Days of waiting replay in microseconds.
package final class ManualRunClock: RunClock {
    private struct Event {
        var time: Duration
        var action: @Sendable () -> Void
    }

    private struct State {
        var now = Duration.zero
        var events: [Event] = []
        var sleeps = 0
    }

    private let state = Mutex(State())

    package init() {}

    package var now: Duration { state.withLock { $0.now } }

    /// How many sleeps were asked for, to show a wait did sleep between checks.
    package var sleeps: Int { state.withLock { $0.sleeps } }

    /// Runs `action` when the clock reaches `time` (at once when it already has).
    package func at(_ time: Duration, _ action: @escaping @Sendable () -> Void) {
        let due = state.withLock { state -> Bool in
            guard time > state.now else { return true }
            state.events.append(Event(time: time, action: action))
            state.events.sort { $0.time < $1.time }
            return false
        }
        if due { action() }
    }

    package func sleep(until deadline: Duration, unless interrupted: () -> Bool) -> Bool {
        state.withLock { $0.sleeps += 1 }
        while true {
            if interrupted() { return false }
            // Move to the next event before the deadline, or to the deadline.
            let event = state.withLock { state -> Event? in
                if let next = state.events.first, next.time <= deadline {
                    state.events.removeFirst()
                    state.now = max(state.now, next.time)
                    return next
                }
                state.now = max(state.now, deadline)
                return nil
            }
            guard let event else { return !interrupted() }
            event.action()
        }
    }

    /// A manual clock has no sleeper to wake: a sleep re-checks its condition at every event.
    package func wake() {}

    /// Moves time forward, as a slow request would, running the events it passes.
    package func advance(by duration: Duration) {
        let target = now + duration
        while true {
            let event = state.withLock { state -> Event? in
                if let next = state.events.first, next.time <= target {
                    state.events.removeFirst()
                    state.now = max(state.now, next.time)
                    return next
                }
                state.now = max(state.now, target)
                return nil
            }
            guard let event else { return }
            event.action()
        }
    }
}
