/// Which samples a metric's series was built from.
public enum SeriesSource: String, Codable, Sendable {
    /// One sample per cycle at the same phase (everything unloaded): x is the cycle number.
    case troughs
    /// Periodic samples, bucketed by median when long: x is simulated seconds.
    case periodic
    /// A column of an arbitrary CSV (`soak analyze`): x is the x column or the row index.
    case column
}
