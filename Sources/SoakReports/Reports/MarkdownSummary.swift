/// `summary.md`: the judged run as GitHub-flavoured Markdown, sized for a CI job summary.
///
/// It says the verdict as a word (**PASS**, **LEAK**) so it reads without colour, then why, the
/// run's facts, one table row per metric and the latency line; the numbers are the ones
/// `summary.json` holds, formatted in their units.
import SoakAnalysis
import SoakRun

enum MarkdownSummary {
    static func render(_ summary: RunSummary) -> String {
        var lines = [
            "### soak \(inline(summary.profile)): **\(ReportText.word(summary.verdict))**",
            "",
        ]
        if !summary.profileDescription.isEmpty { lines += ["_\(inline(summary.profileDescription))_", ""] }
        lines += ["\(inline(summary.verdictReason))", ""]
        lines.append(ReportText.facts(summary).map { "**\($0.label)** \(inline($0.value))" }
            .joined(separator: " · "))
        lines.append("")
        if summary.analysis.metrics.isEmpty {
            lines.append("No metric could be analysed: the run recorded no samples.")
        } else {
            lines += metricTable(summary.analysis.metrics)
        }
        lines += whereSection(summary)
        lines += ["", "**latency** " + inline(ReportText.latencyLine(summary.requests))]
        if summary.analysis.droppedPartialLastLine {
            lines += ["", "The last line of samples.csv was cut off mid-write and was left out."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func metricTable(_ metrics: [MetricAnalysis]) -> [String] {
        // The limit column appears only when a memory limit made it computable for some metric.
        let showLimit = metrics.contains { $0.timeToLimitSeconds != nil }
        var header = ["metric", "verdict", "slope/cycle (95% CI)", "per sim. hour", "growth (window)",
                      "plateau", "peak", "30 days"]
        if showLimit { header.append("to limit") }
        var rows = [header, header.map { _ in "---" }]
        for metric in metrics {
            let unit = metric.unit
            let name = metric.metric.rawValue + (metric.metric.decidesVerdict ? "" : " (warns only)")
            var row = [
                name, ReportText.slopePerCycle(metric), ReportText.slopePerHour(metric), ReportText.growth(metric),
                ReportText.amount(metric.plateau, unit), ReportText.amount(metric.peak, unit),
                ReportText.amount(metric.projectedGrowth30Days, unit),
            ].map(cell)
            row.insert(verdictCell(metric.verdict), at: 1)
            if showLimit { row.append(cell(ReportText.timeToLimit(metric))) }
            rows.append(row)
        }
        var lines = rows.map { "| " + $0.joined(separator: " | ") + " |" }
        let notPassing = metrics.filter { $0.verdict != .pass }
        if !notPassing.isEmpty {
            lines.append("")
            lines += notPassing.map { "- **\($0.metric.rawValue)**: \(inline($0.reason))" }
        }
        return lines
    }

    /// "Where": the culprits that grow, each with its slope and (for a stack) its frames.
    private static func whereSection(_ summary: RunSummary) -> [String] {
        guard summary.culprits != nil else { return [] }
        let growing = WhereText.growing(summary)
        guard !growing.isEmpty else { return ["", "**where** " + WhereText.noneGrows] }
        var lines = ["", "#### Where", "", "| culprit | kind | slope/cycle (95% CI) | growth (window) | last | frames |",
                     "| --- | --- | --- | --- | --- | --- |"]
        for finding in growing {
            lines.append("| " + [finding.displayName, WhereText.kind(finding.source), WhereText.slope(finding),
                                 WhereText.growth(finding), WhereText.last(finding), WhereText.frames(finding)]
                .map(cell).joined(separator: " | ") + " |")
        }
        return lines
    }

    private static func verdictCell(_ verdict: LeakVerdict) -> String {
        verdict == .pass ? "pass" : "**\(verdict.rawValue.uppercased())**"
    }

    /// Text for a table cell: a `|` would end the cell and a line break the row.
    private static func cell(_ text: String) -> String {
        inline(text).replacing("|", with: "\\|")
    }

    /// Text that comes from a run (reasons, descriptions) on one line, with the characters that
    /// GitHub would read as HTML or emphasis made literal.
    static func inline(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r", "\r\n": result += " "
            // `<` alone opens HTML; `>` and `&` read as themselves where run text goes.
            case "<": result += "&lt;"
            // Underscores stay: GitHub never reads them as emphasis inside a word (heap_in_use).
            case "*", "`", "[", "]", "\\": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        // At the start of a line `>` would open a quote.
        return result.hasPrefix(">") ? "\\" + result : result
    }
}
