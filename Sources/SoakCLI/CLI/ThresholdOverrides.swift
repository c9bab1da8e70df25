/// Reads `--threshold METRIC=PER_CYCLE[:FLOOR]` overrides: `heap_in_use=64B:64KiB`, `fds=0.05:5`.
import SoakAnalysis
import SoakUnits

enum ThresholdOverrides {
    static let expected = "METRIC=PER_CYCLE[:FLOOR], like heap_in_use=64B:64KiB or fds=0.05:5"

    /// Parses each `--threshold` value. A metric given without a floor keeps the floor of
    /// `base` (the profile's or the default).
    static func parse(_ values: [String], base: (Metric) -> Threshold) throws(CommandError) -> [Metric: Threshold] {
        var result: [Metric: Threshold] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw CommandError("--threshold: expected \(expected), found \"\(value)\"")
            }
            guard let metric = Metric(rawValue: parts[0]) else {
                let names = Metric.allCases.map(\.rawValue).joined(separator: ", ")
                throw CommandError("--threshold: unknown metric \"\(parts[0])\"; expected one of \(names)")
            }
            let amounts = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard amounts.count <= 2, let perCycle = amount(amounts[0], metric),
                  let floor = amounts.count == 2 ? amount(amounts[1], metric) : base(metric).floor else {
                let example = metric.unit == .bytes ? "512B:1MiB" : "0.01:5"
                throw CommandError("--threshold \(metric.rawValue): expected a non-negative per-cycle amount and an "
                    + "optional floor like \(metric.rawValue)=\(example), found \"\(parts[1])\"")
            }
            result[metric] = Threshold(perCycle: perCycle, floor: floor)
        }
        return result
    }

    private static func amount(_ text: String, _ metric: Metric) -> Double? {
        let value = metric.unit == .bytes ? ByteSize.parse(text) : Double(text)
        guard let value, value >= 0, value.isFinite else { return nil }
        return value
    }
}
