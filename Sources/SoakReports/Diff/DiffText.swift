/// Numbers as a diff shows them: in the metric's unit, with a sign for changes, per hour for slopes.
import SoakAnalysis
import SoakRun
import SoakUnits

enum DiffText {
    /// `3.1 MiB`, `12`, `2`.
    static func amount(_ value: Double, _ unit: MetricUnit) -> String {
        switch unit {
        case .bytes: ByteSize.format(value)
        case .instances, .descriptors, .threads, .count: DecimalText.format(value, significant: 3)
        case .seconds: DecimalText.format(value, significant: 3) + " s"
        }
    }

    /// `+1.2 MiB`, `-3`, `0`.
    static func signed(_ value: Double, _ unit: MetricUnit) -> String {
        let text = amount(value, unit)
        return value > 0 && !text.hasPrefix("0") ? "+" + text : text
    }

    /// `1.2 KiB/h (0.9 KiB … 1.5 KiB)`: a slope per simulated hour with its interval.
    static func slope(_ metric: MetricAnalysis) -> String {
        guard let slope = metric.slopePerHour else { return "–" }
        var text = amount(slope, metric.unit) + "/h"
        if let low = metric.lowSlopePerHour, let high = metric.highSlopePerHour {
            text += " (\(amount(low, metric.unit)) … \(amount(high, metric.unit)))"
        }
        return text
    }

    /// `12.5 ms`.
    static func milliseconds(_ value: Double) -> String {
        DecimalText.format(value, significant: 3) + " ms"
    }

    /// `+2.5 ms`.
    static func signedMilliseconds(_ value: Double) -> String {
        let text = milliseconds(value)
        return value > 0 && !text.hasPrefix("0 ") ? "+" + text : text
    }

    /// `10% or 256 KiB`, `5%`, `2`, `0`.
    static func tolerance(_ tolerance: MetricTolerance, _ unit: MetricUnit) -> String {
        switch (tolerance.fraction > 0, tolerance.amount > 0) {
        case (true, true): Percentage.format(tolerance.fraction) + " or " + amount(tolerance.amount, unit)
        case (true, false): Percentage.format(tolerance.fraction)
        case (false, _): amount(tolerance.amount, unit)
        }
    }

    /// `50% + 5 ms`.
    static func tolerance(_ tolerance: LatencyTolerance) -> String {
        switch (tolerance.fraction > 0, tolerance.milliseconds > 0) {
        case (true, true): Percentage.format(tolerance.fraction) + " + " + milliseconds(tolerance.milliseconds)
        case (true, false): Percentage.format(tolerance.fraction)
        case (false, _): milliseconds(tolerance.milliseconds)
        }
    }

    /// `3840/3840 (100%)`.
    static func integrity(_ integrity: Integrity) -> String {
        "\(integrity.validCycles)/\(integrity.cycles) (\(Percentage.format(integrity.percent / 100, decimals: 2)))"
    }
}
