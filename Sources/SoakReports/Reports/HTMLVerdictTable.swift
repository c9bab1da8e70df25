/// The verdict table of `report.html`: a row of figures per metric, each in its unit, and under
/// it the sentence that decided the verdict with the series, threshold and test behind it.
import SoakAnalysis
import SoakRun
import SoakUnits

enum HTMLVerdictTable {
    static func render(_ summary: RunSummary) -> String {
        var html = "<section><h2>Verdict per metric</h2>\n"
        let metrics = summary.analysis.metrics
        guard !metrics.isEmpty else {
            return html + "<p class=\"empty\">No metric could be analysed: the run recorded no samples.</p>"
                + "</section>\n"
        }
        // The limit column appears only when a memory limit made it computable for some metric.
        let showLimit = metrics.contains { $0.timeToLimitSeconds != nil }
        var headings = ["metric", "verdict", "slope / cycle", "per sim. hour", "growth", "plateau", "peak",
                        "in 30 days"]
        if showLimit { headings.append("to limit") }
        html += "<div class=\"table-wrap\"><table>\n<thead><tr>"
            + headings.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for metric in metrics {
            let unit = metric.unit
            let name = metric.metric.rawValue + (metric.metric.decidesVerdict ? "" : " (warns only)")
            var cells = [
                slope(metric.slopePerCycle, metric.lowSlopePerCycle, metric.highSlopePerCycle, unit),
                slope(metric.slopePerHour, metric.lowSlopePerHour, metric.highSlopePerHour, unit),
                growth(metric), escape(ReportText.amount(metric.plateau, unit)),
                escape(ReportText.amount(metric.peak, unit)),
                escape(ReportText.amount(metric.projectedGrowth30Days, unit)),
            ]
            if showLimit { cells.append(escape(ReportText.timeToLimit(metric))) }
            html += "<tr class=\"metric-row metric-\(metric.verdict.rawValue)\"><th scope=\"row\">\(escape(name))</th>"
                + "<td><span class=\"chip\">\(escape(metric.verdict.rawValue))</span></td>"
                + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
            html += "<tr class=\"reason-row\"><td></td><td colspan=\"\(headings.count - 1)\">"
                + "\(escape(metric.reason))<br>\(escape(details(metric)))</td></tr>\n"
        }
        return html + "</tbody></table></div></section>\n"
    }

    /// The slope, with its 95% interval on a second, quieter line.
    private static func slope(_ value: Double?, _ low: Double?, _ high: Double?, _ unit: MetricUnit) -> String {
        guard let value else { return "–" }
        var html = escape(ReportText.amount(value, unit))
        if let interval = ReportText.interval(low, high, unit) {
            let suffix = unit == .bytes ? "" : " " + ReportText.word(unit)
            html += "<span class=\"ci\">95%: \(escape(interval + suffix))</span>"
        }
        return html
    }

    /// Fitted growth over the steady window, with the window's length on a second line.
    private static func growth(_ metric: MetricAnalysis) -> String {
        guard let growth = metric.growth else { return "–" }
        return escape(ReportText.amount(growth, metric.unit)) + "<span class=\"ci\">over "
            + DecimalText.format(metric.windowCycles, decimals: 0) + " cycles</span>"
    }

    /// Which series was fitted, what it was compared with and how sure the trend test was.
    private static func details(_ metric: MetricAnalysis) -> String {
        let unit = metric.unit
        var parts = ["series: \(metric.source.rawValue), n = \(metric.n)"
            + (metric.bucketSize > 1 ? " (medians of \(metric.bucketSize))" : "")
            + (metric.warmupDropped > 0 ? ", \(metric.warmupDropped) warm-up samples left out" : "")]
        parts.append("threshold \(ReportText.amount(metric.thresholdPerCycle, unit))/cycle, floor "
            + ReportText.amount(metric.thresholdFloor, unit))
        if let test = metric.hamedRao {
            parts.append("trend test (Mann–Kendall, Hamed–Rao) p \(ReportText.probability(test.p)), "
                + "α \(DecimalText.format(metric.alpha, significant: 2))")
        }
        return parts.joined(separator: " · ")
    }

    private static func escape(_ text: String) -> String { MarkupText.escape(text) }
}
