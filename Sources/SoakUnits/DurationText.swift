/// Durations as people write them in profiles and on the command line (`90s`, `3m`, `8d`, `1h30m`,
/// `1.5h`, `250ms`), and back to short text for reports (`8d`, `1m30s`, `41.7ms`).
///
/// Units: `d`, `h`, `m`, `s`, `ms`, and for completeness `us` (or `µs`) and `ns`. A compound value
/// lists its units from largest to smallest, each at most once. A bare number is refused: `90`
/// could mean seconds or minutes, and a profile that guesses wrong runs for the wrong length.
public enum DurationText {
    /// A short example for error messages ("expected a duration like 3m").
    public static let example = "3m"

    /// The duration `text` names, or nil when it is not one (negative, unitless, unknown unit,
    /// units out of order, or beyond about 292 years).
    public static func parse(_ text: String) -> Duration? {
        let scalars = DecimalLiteral.trimmedScalars(text)
        guard !scalars.isEmpty else { return nil }
        var index = 0
        var total: Int64 = 0
        var previousUnit: Int64 = .max
        while index < scalars.count {
            guard let number = DecimalLiteral.scan(scalars, at: &index) else { return nil }
            var unitText = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic {
                unitText.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let unit = nanosecondsPerUnit[unitText], unit < previousUnit else { return nil }
            previousUnit = unit
            guard let part = number.scaled(by: unit) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { return nil }
            total = sum
        }
        return .nanoseconds(total)
    }

    /// Short text for `duration`: `0s`, `850ns`, `12.5µs`, `41.7ms`, `1.25s`, `1m30s`, `8d`, `2d3h4m5s`.
    ///
    /// Below a minute it keeps a few decimals; from a minute up it rounds to whole seconds and names
    /// each non-zero unit. `maxUnits` keeps only the largest units (rounded), for progress lines:
    /// `format(.seconds(93_784), maxUnits: 2)` is `1d2h`.
    public static func format(_ duration: Duration, maxUnits: Int? = nil) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || attoseconds < 0 {
            return "-" + format(.zero - duration, maxUnits: maxUnits)
        }
        // Beyond Int64 nanoseconds only whole seconds matter.
        guard seconds < 9_000_000_000 else { return compound(seconds: seconds, maxUnits: maxUnits) }
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        if nanoseconds < 1_000 { return "\(nanoseconds)ns" }
        if nanoseconds < 1_000_000, let text = small(nanoseconds, unit: 1_000, name: "µs", decimals: 1) {
            return text
        }
        if nanoseconds < 1_000_000_000, let text = small(nanoseconds, unit: 1_000_000, name: "ms", decimals: 1) {
            return text
        }
        if nanoseconds < 60_000_000_000,
            let text = small(nanoseconds, unit: 1_000_000_000, name: "s", decimals: 2)
        {
            return text
        }
        let wholeSeconds = (nanoseconds + 500_000_000) / 1_000_000_000
        return compound(seconds: wholeSeconds, maxUnits: maxUnits)
    }

    /// Text that parses back to exactly `duration`, in the largest unit that divides it:
    /// `90s`, `250ms`, `41666667ns`. For handing a duration to another program (`tenantd`'s
    /// flags), where `format`'s rounding would change the scenario. Negative durations clamp to
    /// `0s`, and sub-nanosecond parts are dropped: the grammar's smallest unit is `ns`.
    public static func exact(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return "0s" }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, case let (nanoseconds, false) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        else {
            return "\(seconds)s"
        }
        if nanoseconds == 0 { return "0s" }
        for (unit, name) in exactUnits where nanoseconds % unit == 0 {
            return "\(nanoseconds / unit)\(name)"
        }
        return "\(nanoseconds)ns"
    }

    private static let exactUnits: [(Int64, String)] = [
        (86_400_000_000_000, "d"), (3_600_000_000_000, "h"), (60_000_000_000, "m"), (1_000_000_000, "s"),
        (1_000_000, "ms"), (1_000, "us"), (1, "ns"),
    ]

    /// `value` in one unit with a few decimals, or nil when rounding reaches the next unit up
    /// (999.96ms is `1s`, not `1000ms`).
    private static func small(_ nanoseconds: Int64, unit: Int64, name: String, decimals: Int) -> String? {
        let value = Double(nanoseconds) / Double(unit)
        let text = DecimalText.format(value, decimals: decimals)
        let limit = unit == 1_000_000_000 ? 60.0 : 1000.0
        guard let rounded = Double(text), rounded < limit else { return nil }
        return text + name
    }

    private static let compoundUnits: [(seconds: Int64, name: String)] = [
        (86_400, "d"), (3_600, "h"), (60, "m"), (1, "s"),
    ]

    private static func compound(seconds: Int64, maxUnits: Int?) -> String {
        var remaining = seconds
        if let maxUnits, maxUnits > 0 {
            // Round to the smallest unit that will be shown.
            if let largest = compoundUnits.firstIndex(where: { seconds >= $0.seconds }) {
                let smallest = compoundUnits[min(largest + maxUnits - 1, compoundUnits.count - 1)].seconds
                remaining = (seconds + smallest / 2) / smallest * smallest
            }
        }
        var text = ""
        for (unitSeconds, name) in compoundUnits where remaining >= unitSeconds {
            text += "\(remaining / unitSeconds)\(name)"
            remaining %= unitSeconds
        }
        return text.isEmpty ? "0s" : text
    }

    private static let nanosecondsPerUnit: [String: Int64] = [
        "d": 86_400_000_000_000,
        "h": 3_600_000_000_000,
        "m": 60_000_000_000,
        "s": 1_000_000_000,
        "ms": 1_000_000,
        "us": 1_000,
        "µs": 1_000,
        "ns": 1,
    ]
}
