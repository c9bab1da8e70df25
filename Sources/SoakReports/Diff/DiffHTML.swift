import FoundationEssentials
import SoakAnalysis
import SoakRun
import SoakUnits

/// A comparison as one self-contained HTML page: the table, then per metric both runs' analysed
/// series overlaid on simulated time. Inline SVG and CSS only: no script and no external URL,
/// so the page opens from a CI artifact or a mail attachment as it is.
package enum DiffHTML {
    /// The page.
    package static func render(_ comparison: RunComparison, basePath: String, candidatePath: String) -> String {
        let outcome = comparison.hasRegression ? "REGRESSION" : "no regression"
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>soak diff \(escape(comparison.candidate.profile)): \(outcome)</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse}
            td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd;white-space:nowrap}
            .REGRESSION{color:#b00;font-weight:bold}.improved{color:#070}.warning{color:#a60}
            .base{stroke:#1f6fb4}.candidate{stroke:#d9480f}svg text{font-size:11px;fill:#444}
            </style></head><body>
            <h1>soak diff \(escape(comparison.candidate.profile)): \(outcome)</h1>
            <p><b>base</b>: \(escape(DiffRendering.describe(comparison.base, path: basePath)))<br>
            <b>candidate</b>: \(escape(DiffRendering.describe(comparison.candidate, path: candidatePath)))</p>
            <table><tr>\(DiffRendering.header.map { "<th>\($0)</th>" }.joined())</tr>

            """
        for row in comparison.rows {
            let cells = DiffRendering.cells(row).map { "<td>\(escape($0))</td>" }.dropLast().joined()
            html += "<tr>\(cells)<td class=\"\(row.status.rawValue)\">\(row.status.rawValue)</td></tr>\n"
        }
        html += "</table>\n"
        html += DiffRendering.conclusion(comparison).map { "<p>\(escape($0))</p>\n" }.joined()
        for metric in RunSummary.metrics(of: comparison.base, comparison.candidate) {
            let base = comparison.base.metric(metric)
            let candidate = comparison.candidate.metric(metric)
            guard base != nil || candidate != nil else { continue }
            html += "<h2>\(metric.rawValue)</h2>\n"
            html += chart(metric.unit, base: base?.points ?? [], candidate: candidate?.points ?? [])
        }
        return html + "</body></html>\n"
    }

    static let width = 760.0
    static let height = 240.0
    static let left = 90.0
    static let right = 20.0
    static let top = 24.0
    static let bottom = 30.0

    /// Both series over simulated hours, with four value gridlines and a legend.
    static func chart(_ unit: MetricUnit, base: [SeriesPoint], candidate: [SeriesPoint]) -> String {
        let all = base + candidate
        guard !all.isEmpty else { return "<p>no points recorded</p>\n" }
        let maxHours = max(all.map { $0.t / 3600 }.max() ?? 1, 1e-9)
        var low = all.map(\.y).min() ?? 0
        var high = all.map(\.y).max() ?? 1
        if high - low < 1e-9 {
            low -= 1
            high += 1
        }
        let pad = (high - low) * 0.05
        low -= pad
        high += pad
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ hours: Double) -> Double { left + hours / maxHours * plotWidth }
        func y(_ value: Double) -> Double { top + (1 - (value - low) / (high - low)) * plotHeight }
        func number(_ value: Double) -> String { DecimalText.format(value, decimals: 1) }

        let size = "width=\"\(Int(width))\" height=\"\(Int(height))\""
        var svg = "<svg \(size) viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\n"
        for step in 0...4 {
            let value = low + (high - low) * Double(step) / 4
            let lineY = number(y(value))
            svg += "<line x1=\"\(number(left))\" y1=\"\(lineY)\" x2=\"\(number(width - right))\" y2=\"\(lineY)\" "
                + "stroke=\"#eee\"/>"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(lineY)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + "\(escape(DiffText.amount(value, unit)))</text>\n"
        }
        for step in 0...4 {
            let hours = maxHours * Double(step) / 4
            svg += "<text x=\"\(number(x(hours)))\" y=\"\(number(height - 8))\" text-anchor=\"middle\">"
                + "\(escape(DecimalText.format(hours, significant: 3))) h</text>"
        }
        svg += "\n"
        for (name, points) in [("base", base), ("candidate", candidate)] where !points.isEmpty {
            let coordinates = points.map { "\(number(x($0.t / 3600))),\(number(y($0.y)))" }.joined(separator: " ")
            svg += "<polyline class=\"\(name)\" fill=\"none\" stroke-width=\"1.5\" points=\"\(coordinates)\"/>\n"
        }
        svg += "<line class=\"base\" x1=\"\(number(left))\" y1=\"10\" x2=\"\(number(left + 20))\" y2=\"10\" "
            + "stroke-width=\"3\"/><text x=\"\(number(left + 26))\" y=\"14\">base</text>"
        svg += "<line class=\"candidate\" x1=\"\(number(left + 80))\" y1=\"10\" "
            + "x2=\"\(number(left + 100))\" y2=\"10\" stroke-width=\"3\"/>"
            + "<text x=\"\(number(left + 106))\" y=\"14\">candidate</text>\n"
        return svg + "</svg>\n"
    }

    /// Text for HTML content and attributes: run folders and reasons may hold any character.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }
}
