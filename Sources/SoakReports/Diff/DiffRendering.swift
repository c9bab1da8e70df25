import FoundationEssentials
import SoakRun
import SoakUnits

/// A comparison as text: an aligned table for a terminal or a log, or Markdown for a pull request
/// or a CI job summary. Both end with the same conclusion line.
package enum DiffRendering {
    static let header = ["metric", "base", "candidate", "change", "tolerance", "status"]

    /// The aligned text table with a line naming each run above it and the conclusion below.
    package static func text(_ comparison: RunComparison, basePath: String, candidatePath: String) -> String {
        var lines = [
            "base:      " + describe(comparison.base, path: basePath),
            "candidate: " + describe(comparison.candidate, path: candidatePath),
            "",
        ]
        let rows = [header] + comparison.rows.map(cells)
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            var line = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        lines.append("")
        lines += conclusion(comparison)
        return lines.joined(separator: "\n")
    }

    /// A Markdown section: heading with the outcome, the two runs, the table and the conclusion.
    package static func markdown(_ comparison: RunComparison, basePath: String, candidatePath: String) -> String {
        let outcome = comparison.hasRegression ? "REGRESSION" : "no regression"
        var lines = [
            "### soak diff \(comparison.candidate.profile): \(outcome)",
            "",
            "- base: " + escape(describe(comparison.base, path: basePath)),
            "- candidate: " + escape(describe(comparison.candidate, path: candidatePath)),
            "",
            "| " + header.joined(separator: " | ") + " |",
            "|" + String(repeating: "---|", count: header.count),
        ]
        for row in comparison.rows {
            var cells = cells(row).map(escape)
            if row.status == .regression { cells[5] = "**\(cells[5])**" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines += conclusion(comparison).map(escape)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `service-lazy-loading, pass, 8d at 7200x, started 2026-11-23T09:15:44Z (reports/baselines/…)`.
    package static func describe(_ summary: RunSummary, path: String) -> String {
        let duration = DurationText.format(.seconds(summary.durationSeconds))
        let started = summary.startedAt.formatted(.iso8601)
        let accelerate = SampleRow.format(summary.accelerate)
        return "\(summary.profile), \(summary.verdict.rawValue), \(duration) at \(accelerate)x, "
            + "started \(started) (\(path))"
    }

    /// The closing lines: each regression and warning, then the outcome.
    static func conclusion(_ comparison: RunComparison) -> [String] {
        var lines: [String] = []
        for row in comparison.rows where row.status == .regression || row.status == .warning {
            lines.append("\(row.status == .regression ? "regression" : "warning"): \(row.detail)")
        }
        let regressions = comparison.regressions
        let improved = comparison.rows.filter { $0.status == .improved }.count
        if regressions.isEmpty {
            lines.append("diff: OK: no regression beyond tolerance"
                + (improved > 0 ? " (\(improved) improved)" : ""))
        } else {
            let names = orderedUnique(regressions.map(\.label)).joined(separator: ", ")
            let count = "\(regressions.count) regression\(regressions.count == 1 ? "" : "s")"
            lines.append("diff: REGRESSION: \(count): \(names)")
        }
        return lines
    }

    static func cells(_ row: DiffRow) -> [String] {
        [row.label, row.base, row.candidate, row.change, row.tolerance, row.status.rawValue]
    }

    /// Pipes would end a Markdown table cell; line breaks would end the row.
    static func escape(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    private static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
