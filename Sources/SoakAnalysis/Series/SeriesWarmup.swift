/// How much of the start of a series `soak analyze` leaves out, counted in usable points (rows
/// where both x and y have values), because an arbitrary CSV has no known time scale.
public enum SeriesWarmup: Sendable, Equatable {
    /// Drop this many leading points.
    case points(Int)
    /// Drop this fraction (0 ≤ f < 1) of the points, rounded down.
    case fraction(Double)

    /// Reads `--warmup`: `250` is 250 points, `10%` is a tenth of them; nil for anything else
    /// (negative, 100% or more, not a number).
    public static func parse(_ text: String) -> SeriesWarmup? {
        if text.hasSuffix("%") {
            guard let percent = Double(text.dropLast()), percent >= 0, percent < 100 else { return nil }
            return .fraction(percent / 100)
        }
        guard let count = Int(text), count >= 0 else { return nil }
        return .points(count)
    }

    /// How many of `count` points to drop.
    func dropped(of count: Int) -> Int {
        switch self {
        case .points(let points): min(points, count)
        case .fraction(let fraction): min(count, Int((Double(count) * max(0, fraction)).rounded(.down)))
        }
    }
}
