/// One point of an analysed series, kept in results for charts.
///
/// JSON keys: `x`, `t`, `y`.
public struct SeriesPoint: Codable, Sendable, Equatable {
    /// Position on the fit's axis: the cycle number for troughs, simulated seconds for periodic
    /// samples, the x column (or the row index) for `soak analyze`.
    public var x: Double
    /// Simulated seconds since the scenario started (equal to `x` on a time axis; for `soak
    /// analyze` without a time column, the same as `x`).
    public var t: Double
    /// The value, in the metric's unit (bytes, instances, descriptors, threads).
    public var y: Double

    /// Creates a point.
    public init(x: Double, t: Double, y: Double) {
        self.x = x
        self.t = t
        self.y = y
    }
}
