/// The "Where" section of report.html: a row per growing culprit with a small chart of its
/// series over the steady window, so a reader sees the step or the ramp, not only a slope.
import SoakAnalysis
import SoakRun
import SoakUnits

enum HTMLWhere {
    static func render(_ summary: RunSummary) -> String {
        guard summary.culprits != nil else { return "" }
        var html = "<section class=\"where\"><h2>Where</h2>\n"
        let growing = WhereText.growing(summary)
        guard !growing.isEmpty else {
            return html + "<p class=\"caption\">\(WhereText.noneGrows): every type, sampled allocation stack "
                + "and class recorded stays flat over the steady window.</p></section>\n"
        }
        html += "<div class=\"table-wrap\"><table><thead><tr><th>culprit</th><th>kind</th>"
            + "<th>slope/cycle (95% CI)</th><th>growth</th><th>last</th><th>series</th></tr></thead><tbody>\n"
        for finding in growing {
            var name = MarkupText.escape(finding.displayName)
            if finding.source == .stacks, finding.frames.count > 1 {
                name += "<br><small>" + finding.frames.prefix(8).map { MarkupText.escape($0) }.joined(separator: "<br>")
                    + "</small>"
            }
            html += "<tr><td>\(name)</td><td>\(WhereText.kind(finding.source))</td>"
                + "<td>\(MarkupText.escape(WhereText.slope(finding)))</td>"
                + "<td>\(MarkupText.escape(WhereText.growth(finding)))</td>"
                + "<td>\(MarkupText.escape(WhereText.last(finding)))</td><td>\(sparkline(finding.points))</td></tr>\n"
        }
        return html + "</tbody></table></div>\n<p class=\"caption\">Culprits only warn: the verdict is the "
            + "metrics'. Each series is judged by the metrics' rule on the steady window.</p></section>\n"
    }

    /// A 160×36 polyline of the points, scaled to their own range.
    static func sparkline(_ points: [SeriesPoint]) -> String {
        guard let first = points.first, let last = points.last, points.count > 1 else { return "" }
        let low = points.map(\.y).min()!, high = points.map(\.y).max()!
        let width = 160.0, height = 36.0
        let spanX = max(last.x - first.x, 1e-9), spanY = max(high - low, 1e-9)
        let coordinates = points.map { point in
            let x = (point.x - first.x) / spanX * width
            let y = height - 2 - (point.y - low) / spanY * (height - 4)
            return DecimalText.format(x, decimals: 1) + "," + DecimalText.format(y, decimals: 1)
        }
        return "<svg class=\"spark\" width=\"160\" height=\"36\" viewBox=\"0 0 160 36\" role=\"img\" "
            + "aria-label=\"series\"><polyline fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\" points=\""
            + coordinates.joined(separator: " ") + "\"/></svg>"
    }
}
