/// The median and spread of one figure measured over repeats.
///
/// Quartiles use linear interpolation between order statistics (Hyndman–Fan type 7, R's and
/// NumPy's default), so the figures match what a reader recomputes from `bench.json`.
package struct RepeatStatistics: Codable, Sendable, Equatable {
    /// The values, in the order they were measured.
    package var values: [Double]
    package var median: Double
    package var min: Double
    package var max: Double
    /// First quartile.
    package var q1: Double
    /// Third quartile.
    package var q3: Double

    /// Summarises `values`; NaN values are dropped, and an empty set gives NaN everywhere.
    package init(_ values: [Double]) {
        self.values = values
        let sorted = values.filter { !$0.isNaN }.sorted()
        median = Self.quantile(sorted, 0.5)
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        q1 = Self.quantile(sorted, 0.25)
        q3 = Self.quantile(sorted, 0.75)
    }

    /// How many values were summarised.
    package var count: Int { values.count }

    /// The interquartile range.
    package var iqr: Double { q3 - q1 }

    /// The `p` quantile of sorted values by linear interpolation; NaN when empty.
    package static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    /// "12.3 (11.9–13.0)": the median with the min–max range, each through `format`. One value
    /// prints alone, since a range of one says nothing.
    package func text(_ format: (Double) -> String) -> String {
        guard !median.isNaN else { return "n/a" }
        guard count > 1, min != max else { return format(median) }
        return "\(format(median)) (\(format(min))–\(format(max)))"
    }
}

/// Number formatting for bench tables: fixed significant digits without Foundation's locale.
package enum BenchFormat {
    /// `value` with about three significant digits: 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123".
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        let magnitude = Swift.abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4
        return fixed(value, decimals: decimals)
    }

    /// `value` with exactly `decimals` digits after the point.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return number(value) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (Swift.abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }

    /// Bytes as MiB with one decimal: "7.9 MiB".
    package static func mebibytes(_ bytes: Double) -> String {
        "\(fixed(bytes / 1_048_576, decimals: 1)) MiB"
    }
}
