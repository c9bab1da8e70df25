/// One candidate culprit's values over a run: a type's live count, an allocation stack's live
/// bytes, a class's instance bytes. Judged like a metric, but only ever warns: it says *where*
/// memory goes, while the metrics say *whether* it grows.
public struct CulpritSeries: Sendable, Equatable {
    /// Where the series comes from: `types`, `stacks` or `classes`.
    public var source: CulpritSource
    /// The type, the stack's id or the class name.
    public var name: String
    /// The series' unit: instances for types, bytes for stacks and classes.
    public var unit: MetricUnit
    /// x is the cycle at troughs or simulated seconds for periodic readings (as `source` of a
    /// metric); t is simulated seconds.
    public var points: [SeriesPoint]
    /// True when x counts cycles (troughs), false when x is simulated seconds.
    public var onCycles: Bool
    /// Symbolized frames, innermost first, for a stack; empty otherwise.
    public var frames: [String]

    /// Creates a series.
    public init(source: CulpritSource, name: String, unit: MetricUnit, points: [SeriesPoint], onCycles: Bool,
                frames: [String] = []) {
        self.source = source
        self.name = name
        self.unit = unit
        self.points = points
        self.onCycles = onCycles
        self.frames = frames
    }
}

/// The kinds of culprit a run can name.
public enum CulpritSource: String, Sendable, Codable, CaseIterable {
    /// Live instances by type, from the target's stats JSON (`live_instances`).
    case types
    /// Sampled live allocations by stack, from the glibc preload library.
    case stacks
    /// Instance bytes by class, from the JVM's class histogram.
    case classes
}
