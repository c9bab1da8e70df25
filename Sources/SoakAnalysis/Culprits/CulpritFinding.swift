/// The judgement of one culprit series: its slope over the steady window and whether it grows.
///
/// JSON keys: `source`, `name`, `unit`, `growing`, `reason`, `n`, `slope_per_cycle`,
/// `low_slope_per_cycle`, `high_slope_per_cycle`, `growth`, `last`, `frames`, `points`.
/// Optional values are left out when absent.
public struct CulpritFinding: Codable, Sendable, Equatable {
    /// Types, stacks or classes.
    public var source: CulpritSource
    /// The type, the stack's id or the class name.
    public var name: String
    /// Instances for types, bytes for stacks and classes.
    public var unit: MetricUnit
    /// True when the series passes the same three-part rule a metric needs to leak.
    public var growing: Bool
    /// Why, with the numbers (the rule's own wording).
    public var reason: String
    /// Points fitted.
    public var n: Int
    /// Theil–Sen slope per cycle and its confidence interval, in the unit.
    public var slopePerCycle: Double?
    /// Lower end of the slope's 95% interval, per cycle.
    public var lowSlopePerCycle: Double?
    /// Upper end of the slope's 95% interval, per cycle.
    public var highSlopePerCycle: Double?
    /// slope × the steady window, in the unit.
    public var growth: Double?
    /// The last value recorded.
    public var last: Double?
    /// Symbolized frames of a stack, innermost first.
    public var frames: [String]
    /// The fitted points, for a small chart per culprit (at most a few hundred).
    public var points: [SeriesPoint]

    enum CodingKeys: String, CodingKey {
        case source, name, unit, growing, reason, n, growth, last, frames, points
        case slopePerCycle = "slope_per_cycle"
        case lowSlopePerCycle = "low_slope_per_cycle"
        case highSlopePerCycle = "high_slope_per_cycle"
    }

    /// `DeployedArtifact +1/cycle`, `leak_session_state +256 B/cycle`: the verdict line's words.
    public var shortText: String {
        let slope = slopePerCycle.map { AnalysisText.signedAmount($0, unit) } ?? "?"
        return "\(displayName) \(slope)/cycle"
    }

    /// The name a person reads: a stack's first frame outside the allocator, else the name.
    public var displayName: String { source == .stacks ? (frames.first ?? name) : name }
}
