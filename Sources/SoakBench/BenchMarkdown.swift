/// Renders a `BenchReport` as `bench.md`: the bars first (what a reviewer asks), then each
/// suite's method, tables and charts.
package enum BenchMarkdown {
    /// The whole document.
    package static func render(_ report: BenchReport) -> String {
        var out = "# soak bench \(report.started)\n\n"
        out += "`\(report.commandLine.joined(separator: " "))` · soak \(report.soakVersion) · \(report.kernel) · "
            + "\(report.cores) cores · \(report.repeats) repeat\(report.repeats == 1 ? "" : "s")"
            + (report.quick ? " · --quick (shortened: not for the bars)" : "") + "\n\n"
        out += "Figures are medians over repeats with their spread in brackets (min–max) unless a column says "
            + "otherwise; every comparison was measured in this run, on this machine.\n\n"
        let bars = report.bars
        if !bars.isEmpty {
            out += "## Quality bars\n\n"
            out += table(BenchTable(
                title: "", columns: ["bar", "measured", "status", "why"],
                rows: bars.map { [$0.target, $0.measured, $0.status, $0.reason] }))
            out += "\n"
        }
        for suite in report.suites {
            out += "## \(suite.name)\n\n"
            out += "_\(BenchFormat.fixed(suite.wallSeconds, decimals: 0)) s of wall time._\n\n"
            for note in suite.notes { out += "- \(note)\n" }
            if !suite.notes.isEmpty { out += "\n" }
            for item in suite.tables {
                if !item.title.isEmpty { out += "**\(item.title)**\n\n" }
                out += table(item) + "\n"
            }
            for chart in suite.charts { out += "![\(chart.title)](\(chart.file))\n\n" }
        }
        return out
    }

    /// A GitHub-flavoured Markdown table; `|` in cells is escaped so a cell cannot split a row.
    static func table(_ table: BenchTable) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        var out = row(table.columns)
        out += "|" + String(repeating: "---|", count: table.columns.count) + "\n"
        for cells in table.rows { out += row(cells) }
        return out
    }
}
