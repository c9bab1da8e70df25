import PosixSupport
import SoakUnits
import Synchronization

/// A point in simulated time, measured from the moment the clock started.
public struct SimulatedTime: Comparable, Sendable, CustomStringConvertible {
    /// Simulated time elapsed since the clock started.
    public var sinceStart: Duration

    /// The moment `sinceStart` after the clock started.
    public init(sinceStart: Duration) {
        self.sinceStart = sinceStart
    }

    public static func < (lhs: SimulatedTime, rhs: SimulatedTime) -> Bool { lhs.sinceStart < rhs.sinceStart }
    public static func - (lhs: SimulatedTime, rhs: SimulatedTime) -> Duration { lhs.sinceStart - rhs.sinceStart }
    public static func + (lhs: SimulatedTime, rhs: Duration) -> SimulatedTime {
        SimulatedTime(sinceStart: lhs.sinceStart + rhs)
    }

    /// Simulated seconds since start, for reports and JSON.
    public var seconds: Double { sinceStart.secondsValue }
    public var description: String { "t+\(seconds)s" }
}

/// The one source of time inside the runtime: idle checks, sweeps and last-use stamps all read it,
/// so tests drive everything with `ManualClock` and never sleep.
public protocol RuntimeClock: Sendable {
    /// The current simulated time.
    var now: SimulatedTime { get }
    /// How many simulated seconds pass per wall-clock second (1 for real time, 0 for a clock
    /// that has no rate because only explicit advances move it).
    var scale: Double { get }
    /// `scaled` or `stepped`, as `/_runtime/stats` and the clock endpoint name it.
    var kind: ClockKind { get }
    /// The wall time until the clock reads `deadline` by itself; nil when it never gets there
    /// without being told (a stepped or manual clock), so nothing should wait on the wall for it.
    func wallDelay(until deadline: SimulatedTime) -> Duration?
}

/// How a runtime clock moves.
public enum ClockKind: String, Sendable, CaseIterable {
    /// Wall time multiplied by a scale.
    case scaled
    /// Virtual time that moves only when the harness advances it.
    case stepped
}

extension RuntimeClock {
    public var kind: ClockKind { .scaled }
    public func wallDelay(until deadline: SimulatedTime) -> Duration? { nil }
}

/// Real time, sped up by `scale`: at 1440, one simulated minute lasts 41.7 ms of wall time.
public struct ScaledClock: RuntimeClock {
    /// Simulated seconds per wall second.
    public let scale: Double
    private let origin: Duration

    /// Starts a clock now. `scale` must be positive.
    public init(scale: Double = 1) {
        precondition(scale > 0, "clock scale must be positive")
        self.scale = scale
        self.origin = ScaledClock.monotonicNow()
    }

    public var now: SimulatedTime {
        let wall = ScaledClock.monotonicNow() - origin
        return SimulatedTime(sinceStart: wall * scale)
    }

    /// The wall-clock length of `simulated` on this clock.
    public func wallDuration(of simulated: Duration) -> Duration { simulated / scale }

    public func wallDelay(until deadline: SimulatedTime) -> Duration? {
        max(.zero, wallDuration(of: deadline - now))
    }

    static func monotonicNow() -> Duration {
        MonotonicClock.now
    }
}

/// A clock that moves only when told to; for tests.
public final class ManualClock: RuntimeClock {
    private let current = Mutex(Duration.zero)
    /// Simulated seconds per wall second.
    public let scale: Double = 1

    public init() {}

    public var now: SimulatedTime { SimulatedTime(sinceStart: current.withLock { $0 }) }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in milliseconds as a floating-point number.
    public var millisecondsValue: Double { secondsValue * 1000 }
}
