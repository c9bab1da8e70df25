/// The verdict of a run as the aligned text table `soak run` and `soak report` print; the cells
/// read as in summary.md and report.html (`ReportText`).
import SoakReports
import SoakRun

enum VerdictTable {
    static func render(_ summary: RunSummary) -> String {
        var rows = [["metric", "verdict", "slope/cycle (95% CI)", "per hour", "growth", "plateau", "peak"]]
        for metric in summary.analysis.metrics {
            rows.append([
                metric.metric.rawValue + (metric.metric.decidesVerdict ? "" : " (warns only)"),
                metric.verdict.rawValue, ReportText.slopePerCycle(metric),
                ReportText.amount(metric.slopePerHour, metric.unit), ReportText.amount(metric.growth, metric.unit),
                ReportText.amount(metric.plateau, metric.unit), ReportText.amount(metric.peak, metric.unit),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
