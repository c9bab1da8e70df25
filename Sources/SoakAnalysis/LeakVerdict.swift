/// What the analysis concludes about one series.
public enum LeakVerdict: String, Codable, Sendable {
    /// No leak by the thresholds given.
    case pass
    /// A significant increasing trend whose slope and growth both exceed their thresholds.
    case leak
    /// Too few points (or no usable slope) to judge: never counted as a pass.
    case inconclusive
}
