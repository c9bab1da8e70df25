/// How much of the start of a run is excluded from the leak fit: the runtime's caches fill and
/// its allocator settles there, which would otherwise read as growth.
public enum WarmupWindow: Sendable, Equatable {
    /// A fraction of the run (0.1 is the first tenth).
    case fraction(Double)
    /// A span of simulated time from the start.
    case duration(Duration)
}
