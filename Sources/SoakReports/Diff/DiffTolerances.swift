/// How far a candidate may move from its base before `soak diff` calls it a regression, per metric
/// and for request latency.
///
/// Precedence: `--tolerance` on the command line, then the run's profile (`tolerances`), then
/// `defaults`. A value from the command line or a profile replaces the metric's whole tolerance.
import SoakAnalysis
import SoakProfiles
import SoakUnits

package struct DiffTolerances: Sendable, Equatable {
    /// Per metric; a metric without an entry allows no change at all.
    package var metrics: [Metric: MetricTolerance]
    /// For cold and warm p50 and p99.
    package var latency: LatencyTolerance

    /// Creates tolerances from explicit values.
    package init(metrics: [Metric: MetricTolerance], latency: LatencyTolerance) {
        self.metrics = metrics
        self.latency = latency
    }

    /// The shipped defaults. Data, not comparison logic; a profile or `--tolerance` overrides each.
    ///
    /// Byte metrics allow 10% of the base or a fixed amount, whichever is larger: RSS, anonymous
    /// RSS and PSS move by whole pages and allocator arenas (1 MiB, the leak floor), the heap by
    /// allocator slack (256 KiB) and the harness's own RSS by its buffers (2 MiB). Counted metrics
    /// allow a few units: 5 live instances, 2 descriptors, 1 thread. Latency allows 50% plus 5 ms
    /// (see `LatencyTolerance`). Every metric has an entry: one without would allow no change.
    package static let defaults = DiffTolerances(
        metrics: [
            .rss: MetricTolerance(fraction: 0.10, amount: 1_048_576),
            .rssAnon: MetricTolerance(fraction: 0.10, amount: 1_048_576),
            .pss: MetricTolerance(fraction: 0.10, amount: 1_048_576),
            .heapInUse: MetricTolerance(fraction: 0.10, amount: 262_144),
            .liveInstances: MetricTolerance(amount: 5),
            .fds: MetricTolerance(amount: 2),
            .threads: MetricTolerance(amount: 1),
            .harnessRSS: MetricTolerance(fraction: 0.10, amount: 2_097_152),
        ],
        latency: LatencyTolerance(fraction: 0.5, milliseconds: 5))

    /// The tolerance for `metric`; none (zero) when it has no entry.
    package func tolerance(for metric: Metric) -> MetricTolerance {
        if let tolerance = metrics[metric] { return tolerance }
        // A declared metric without one: like heap_in_use for bytes, a few units for counts.
        guard !metric.isBuiltIn else { return MetricTolerance() }
        return metric.unit == .bytes ? MetricTolerance(fraction: 0.10, amount: 262_144) : MetricTolerance(amount: 5)
    }

    /// Takes a profile's `tolerances` over the current values.
    package mutating func apply(profile tolerances: [Metric: Tolerance]) {
        for (metric, tolerance) in tolerances { metrics[metric] = MetricTolerance(tolerance) }
    }

    /// Takes `--tolerance` values over the current ones. Each text is a comma-separated list of
    /// `METRIC=5%`, `METRIC=AMOUNT` (`heap_in_use=64KiB`, `fds=2`) or `latency=50%+5ms`; for
    /// latency a part left out keeps its current value.
    package mutating func apply(commandLine texts: [String]) throws(DiffError) {
        for text in texts {
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                try apply(item: String(item))
            }
        }
    }

    static let expected = "METRIC=PERCENT or METRIC=AMOUNT, like rss=5%, heap_in_use=64KiB, fds=2 or latency=50%+5ms"

    private mutating func apply(item: String) throws(DiffError) {
        let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw DiffError("--tolerance: expected \(Self.expected), found \"\(item)\"")
        }
        let name = parts[0]
        let value = parts[1]
        if name == "latency" {
            latency = try LatencyTolerance.parse(value, keeping: latency)
            return
        }
        // A name that is not built in is a column a metric source declared (node_heap, jvm_old_used).
        guard name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) })
        else {
            let names = Metric.allCases.map(\.rawValue) + ["latency"]
            throw DiffError("--tolerance: unknown metric \"\(name)\"; expected one of \(names.joined(separator: ", ")) "
                + "or a declared column's name")
        }
        let metric = Metric(rawValue: name) ?? Metric(declared: name, unit: .bytes, decides: true)
        if value.hasSuffix("%") {
            guard let fraction = Percentage.parse(value), fraction >= 0, fraction.isFinite else {
                throw DiffError(
                    "--tolerance \(name): expected a percentage of at least 0% like 5%, found \"\(value)\"")
            }
            metrics[metric] = MetricTolerance(fraction: fraction)
            return
        }
        let amount = metric.unit == .bytes ? ByteSize.parse(value) : Double(value)
        guard let amount, amount >= 0, amount.isFinite else {
            let example = metric.unit == .bytes ? "64KiB" : "2"
            throw DiffError("--tolerance \(name): expected a percentage like 5% or an amount of at least 0 in "
                + "\(metric.unit.rawValue) like \(name)=\(example), found \"\(value)\"")
        }
        metrics[metric] = MetricTolerance(amount: amount)
    }
}

/// A metric's allowance: the larger of a fraction of the base value and a fixed amount.
///
/// The larger, not the sum: each part alone says what is acceptable (10% of a large heap; 256 KiB
/// of allocator slack on a small one), and `5%` from a profile means exactly 5%.
package struct MetricTolerance: Sendable, Equatable {
    /// Of the base value (0.1 is 10%).
    package var fraction: Double
    /// In the metric's unit.
    package var amount: Double

    /// A tolerance of `fraction` of the base or `amount`, whichever is larger.
    package init(fraction: Double = 0, amount: Double = 0) {
        self.fraction = fraction
        self.amount = amount
    }

    /// A profile's tolerance.
    package init(_ tolerance: Tolerance) {
        switch tolerance {
        case .relative(let fraction): self.init(fraction: fraction)
        case .absolute(let amount): self.init(amount: amount)
        }
    }

    /// How much a value may rise above `base`.
    package func allowance(base: Double) -> Double {
        max(fraction * base.magnitude, amount)
    }
}

/// Latency's allowance: a fraction of the base plus a fixed number of milliseconds.
///
/// The sum, not the larger: latency carries both proportional noise (a busier machine) and a
/// fixed jitter (scheduling, a page fault) that dominates sub-millisecond warm requests.
package struct LatencyTolerance: Sendable, Equatable {
    /// Of the base percentile (0.5 is 50%).
    package var fraction: Double
    /// Added to the fractional part.
    package var milliseconds: Double

    /// A tolerance of `fraction` of the base plus `milliseconds`.
    package init(fraction: Double, milliseconds: Double) {
        self.fraction = fraction
        self.milliseconds = milliseconds
    }

    /// How many milliseconds a percentile may rise above `base`.
    package func allowance(base: Double) -> Double {
        fraction * base.magnitude + milliseconds
    }

    /// `50%+5ms`, `20%` or `8ms`; a part left out keeps its value in `current`.
    static func parse(_ text: String, keeping current: LatencyTolerance) throws(DiffError) -> LatencyTolerance {
        var result = current
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        var seenFraction = false
        var seenMilliseconds = false
        for part in parts {
            if part.hasSuffix("%"), !seenFraction, let fraction = Percentage.parse(part), fraction >= 0 {
                result.fraction = fraction
                seenFraction = true
            } else if part.hasSuffix("ms"), !seenMilliseconds, let value = Double(part.dropLast(2)),
                      value >= 0, value.isFinite {
                result.milliseconds = value
                seenMilliseconds = true
            } else {
                throw DiffError("--tolerance latency: expected a percentage, milliseconds or both, like 50%+5ms, "
                    + "20% or 8ms, found \"\(text)\"")
            }
        }
        return result
    }
}

/// Bad diff input: a tolerance, a summary, a baseline name or folder, with what was expected.
package struct DiffError: Error, CustomStringConvertible, Sendable {
    /// The message, naming the input and what is wrong with it.
    package var description: String

    init(_ description: String) { self.description = description }
}
