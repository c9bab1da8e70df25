import Synchronization

/// Virtual time that only `TenantHost.advance(to:)` moves: `tenantd --clock stepped`.
///
/// Nothing in the runtime waits on the wall for it. The harness advances it to a time, the host
/// fires every idle deadline up to that time in order (the clock reading each deadline as it
/// fires, as a discrete-event simulation does), and only then answers; so what a request finds
/// depends on simulated time alone, never on which thread the scheduler ran first.
public final class SteppedClock: RuntimeClock {
    private let current = Mutex(Duration.zero)
    /// Held for a whole advance, so two advances never interleave their deadlines.
    let advancing = Mutex(())
    /// No fixed rate: the clock moves as fast as the harness advances it.
    public let scale: Double = 0
    public var kind: ClockKind { .stepped }

    /// A clock at simulated time zero, which only `advance` moves.
    public init() {}

    public var now: SimulatedTime { SimulatedTime(sinceStart: current.withLock { $0 }) }

    /// Moves the clock to `time`; never backwards (the caller checks, under `advancing`).
    func set(to time: SimulatedTime) {
        current.withLock { $0 = max($0, time.sinceStart) }
    }
}
