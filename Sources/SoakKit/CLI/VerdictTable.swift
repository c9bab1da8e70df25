/// The verdict of a run as the aligned text table `soak run` and `soak report` print.
enum VerdictTable {
    static func render(_ summary: RunSummary) -> String {
        var rows = [["metric", "verdict", "slope/cycle (95% CI)", "per hour", "growth", "plateau", "peak"]]
        for metric in summary.analysis.metrics {
            let unit = metric.unit
            let slope = metric.slopePerCycle.map { slope in
                let interval = metric.lowSlopePerCycle.flatMap { low in
                    metric.highSlopePerCycle.map { " (\(amount(low, unit)) … \(amount($0, unit)))" }
                } ?? ""
                return amount(slope, unit) + interval
            } ?? "–"
            rows.append([
                metric.metric.rawValue, metric.verdict.rawValue, slope,
                metric.slopePerHour.map { amount($0, unit) } ?? "–",
                metric.growth.map { amount($0, unit) } ?? "–",
                metric.plateau.map { amount($0, unit) } ?? "–",
                metric.peak.map { amount($0, unit) } ?? "–",
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    private static func amount(_ value: Double, _ unit: MetricUnit) -> String {
        switch unit {
        case .bytes: ByteSize.format(value)
        case .instances, .descriptors, .threads: DecimalText.format(value, significant: 3)
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
