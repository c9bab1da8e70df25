import FoundationEssentials
import Glibc
import SoakUnits

/// What a chart axis measures, which decides its range, where its ticks fall and how they read:
/// simulated time on round durations (`6h`, `1d12h`), bytes on round amounts of one binary unit
/// (`60.5 MiB`), counts on whole numbers, latency on a log scale (`500µs`, `2ms`, `1s`).
enum ChartAxis: Sendable {
    case simulatedTime
    case bytes
    case count
    /// Milliseconds on a log scale: cold and warm requests differ by orders of magnitude.
    case milliseconds

    /// The range drawn and the ticks in it.
    struct Scale {
        var lower: Double
        var upper: Double
        var ticks: [Double]
        var isLogarithmic = false
        /// How tick values read.
        var label: (Double) -> String

        /// Position of `value` in the range: 0 at `lower`, 1 at `upper`.
        func fraction(_ value: Double) -> Double {
            if isLogarithmic {
                let clamped = max(value, lower)
                return (log10(clamped) - log10(lower)) / (log10(upper) - log10(lower))
            }
            return (value - lower) / (upper - lower)
        }
    }

    /// A scale covering `low...high` (finite data bounds, `low <= high`).
    func scale(low: Double, high: Double) -> Scale {
        switch self {
        case .simulatedTime: Self.timeScale(low: low, high: high)
        case .bytes, .count: linearScale(low: low, high: high)
        case .milliseconds: Self.logScale(low: low, high: high)
        }
    }

    // MARK: Time

    /// Round steps in seconds, from one second to a month; longer runs use multiples of 30 days.
    private static let timeSteps: [Double] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200,
        86_400, 172_800, 4 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400,
    ]

    private static func timeScale(low: Double, high: Double) -> Scale {
        // Time fills the width: the run starts at the left edge and ends at the right. The first
        // sample comes a moment after the start; the axis still starts at 0 so the origin reads.
        let low = low >= 0 && low < (high - low) * 0.05 ? 0 : low
        let upper = high > low ? high : low + 60
        let target = (upper - low) / 7
        let step = timeSteps.first { $0 >= target } ?? niceStep(target / (30 * 86_400)) * 30 * 86_400
        return Scale(lower: low, upper: upper, ticks: ticks(from: low, to: upper, step: step)) { seconds in
            DurationText.format(.milliseconds(Int64((seconds * 1000).rounded())))
        }
    }

    // MARK: Bytes and counts

    private func linearScale(low: Double, high: Double) -> Scale {
        var low = low
        var high = high
        if high - low <= max(abs(high), 1) * 1e-9 {
            // A flat series sits in the middle of the chart, not pressed against an axis.
            let pad = self == .count ? 1 : max(abs(low) * 0.05, 1)
            low -= pad
            high += pad
        } else if low > 0, low < 0.25 * high {
            // Zero costs little space here, and a baseline at zero reads without a second look.
            low = 0
        } else {
            let pad = (high - low) * 0.08
            low -= pad
            high += pad
        }
        let wasNonNegative = low >= 0
        let unit = self == .bytes ? Self.byteUnit(for: max(abs(low), abs(high))) : (size: 1, name: "")
        var step = Self.niceStep((high - low) / unit.size / 5) * unit.size
        if self == .count { step = max(step, 1) }
        var lower = (low / step).rounded(.down) * step
        if wasNonNegative { lower = max(lower, 0) }
        let upper = (high / step).rounded(.up) * step
        let decimals = max(0, Int(-log10(step / unit.size).rounded(.down)))
        let bytes = self == .bytes
        return Scale(lower: lower, upper: upper, ticks: Self.ticks(from: lower, to: upper, step: step)) { value in
            let text = DecimalText.format(value / unit.size, decimals: decimals)
            return bytes ? text + " " + unit.name : text
        }
    }

    /// The binary unit tick labels are written in: the one `ByteSize.format` would pick for the
    /// largest value, so a whole axis reads in one unit.
    private static func byteUnit(for magnitude: Double) -> (size: Double, name: String) {
        let units: [(size: Double, name: String)] = [
            (1, "B"), (1024, "KiB"), (1_048_576, "MiB"), (1_073_741_824, "GiB"), (1_099_511_627_776, "TiB"),
        ]
        return units.last { magnitude >= $0.size } ?? units[0]
    }

    // MARK: Latency

    private static func logScale(low: Double, high: Double) -> Scale {
        let low = max(low, 0.001)
        let high = max(high, low)
        let lowerDecade = log10(low).rounded(.down)
        var upperDecade = log10(high).rounded(.up)
        if upperDecade <= lowerDecade { upperDecade = lowerDecade + 1 }
        let decades = Int(upperDecade - lowerDecade)
        var ticks: [Double] = []
        for decade in Int(lowerDecade)...Int(upperDecade) {
            let base = pow(10, Double(decade))
            // With few decades, 2 and 5 inside each keep the grid readable.
            let multiples: [Double] = decades <= 3 && decade < Int(upperDecade) ? [1, 2, 5] : [1]
            ticks += multiples.map { $0 * base }
        }
        return Scale(lower: pow(10, lowerDecade), upper: pow(10, upperDecade), ticks: ticks, isLogarithmic: true) {
            DurationText.format(.nanoseconds(Int64(($0 * 1_000_000).rounded())))
        }
    }

    // MARK: Helpers

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    private static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, log10(raw).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// Multiples of `step` from `start` up to `end`, computed by index so no error accumulates.
    private static func ticks(from start: Double, to end: Double, step: Double) -> [Double] {
        let first = (start / step - 1e-9).rounded(.up)
        let last = (end / step + 1e-9).rounded(.down)
        guard first <= last, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }
}
