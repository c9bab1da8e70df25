/// Wall time as a run sees it, and the one way a run waits: every sleep and every polling loop
/// of the harness (the scheduler between cycles and samples, readiness, seeding, teardown, lock
/// and stop waits) goes through a clock like this, so a stop request can cut any of them short
/// and unit tests replay them on a manual clock without sleeping.
///
/// A sleep names what would end it early (`unless`); the clock checks that condition before
/// sleeping and again whenever it is woken (``wake()``: a stop signal, `soak stop`, the target's
/// output ending), so a stop lands at once rather than at the next deadline.
package protocol RunClock: Sendable {
    /// Wall time since an arbitrary fixed origin.
    var now: Duration { get }

    /// Sleeps until `deadline`, or until `interrupted` holds: checked first, whenever the clock is
    /// woken, and at the deadline. Returns true when it slept to the deadline, false when
    /// interrupted.
    func sleep(until deadline: Duration, unless interrupted: () -> Bool) -> Bool

    /// Makes the thread sleeping on this clock re-check its condition now. Safe from any thread.
    func wake()
}

/// How a ``RunClock/poll(every:for:unless:_:)`` ended.
package enum Polled<Value> {
    /// The check found what it looked for.
    case value(Value)
    /// The time allowed passed first.
    case timedOut
    /// The interrupting condition held first (a stop request, say).
    case interrupted
}

extension RunClock {
    /// Sleeps until `deadline`, whatever happens meanwhile.
    package func sleep(until deadline: Duration) {
        _ = sleep(until: deadline, unless: { false })
    }

    /// Calls `check` until it returns a value, every `step`, for at most `timeout` (the check runs
    /// once more at the end, so a value that arrives with the deadline still counts). A sleep
    /// between checks ends early when `interrupted` holds.
    ///
    /// For what no doorbell announces (a file appearing, a port answering, a child exiting), a
    /// short step keeps the latency low; a stop request still ends the poll at once.
    package func poll<Value>(
        every step: Duration, for timeout: Duration, unless interrupted: () -> Bool = { false },
        _ check: () -> Value?
    ) -> Polled<Value> {
        let deadline = now + timeout
        while true {
            if let value = check() { return .value(value) }
            let current = now
            if current >= deadline { return .timedOut }
            guard sleep(until: min(deadline, current + step), unless: interrupted) else { return .interrupted }
        }
    }
}
