/// `report.html`: one self-contained page for a person reading a run. Inline CSS and inline SVG
/// only: no script, font, image or link to anywhere else, so it opens the same from a CI artifact,
/// an e-mail or a laptop offline.
import SoakRun

enum HTMLReport {
    static func render(_ judgement: RunJudge.Judgement) -> String {
        let summary = judgement.summary
        let word = ReportText.word(summary.verdict)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>soak \(escape(summary.profile)): \(word)</title>
            <style>\(style)</style>
            </head>
            <body>

            """
        html += header(summary)
        for chart in HTMLCharts.charts(judgement) {
            html += "<section class=\"chart-section\"><h2>\(escape(chart.title))</h2>\n"
            html += chart.svg.map { $0 + "\n" } ?? "<p class=\"empty\">Not recorded in this run.</p>\n"
            html += "<p class=\"caption\">\(escape(chart.caption))</p></section>\n"
        }
        html += HTMLWhere.render(summary)
        html += HTMLVerdictTable.render(summary)
        html += "<footer>soak \(escape(summary.soakVersion)) · \(escape(summary.kernel)) · "
            + "\(escape(summary.runFolder))</footer>\n</body>\n</html>\n"
        return html
    }

    private static func header(_ summary: RunSummary) -> String {
        var html = "<header class=\"verdict-\(summary.verdict.rawValue)\">\n"
        html += "<h1>soak \(escape(summary.profile)) <span class=\"badge\">"
            + "\(ReportText.word(summary.verdict))</span></h1>\n"
        if !summary.profileDescription.isEmpty {
            html += "<p class=\"description\">\(escape(summary.profileDescription))</p>\n"
        }
        html += "<p class=\"reason\">\(escape(summary.verdictReason))</p>\n<dl class=\"facts\">\n"
        for fact in ReportText.facts(summary) + [("latency", ReportText.latencyLine(summary.requests))] {
            let wide = fact.value.count > 48 ? " class=\"wide\"" : ""
            html += "<div\(wide)><dt>\(escape(fact.label))</dt><dd>\(escape(fact.value))</dd></div>\n"
        }
        html += "</dl>\n"
        if summary.analysis.droppedPartialLastLine {
            html += "<p class=\"note\">The last line of samples.csv was cut off mid-write and was left out.</p>\n"
        }
        return html + "</header>\n"
    }

    private static func escape(_ text: String) -> String { MarkupText.escape(text) }

    /// The page's CSS. Verdict colours: green for pass, red for a leak, amber for a run that could
    /// not be judged; the verdict is also a word, for readers who do not see the colour.
    private static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d1d1f;\
        max-width:960px;margin:0 auto;padding:16px 20px 40px;background:#fff}
        h1{font-size:22px;margin:0 0 6px}h2{font-size:16px;margin:26px 0 4px}
        header{border-left:6px solid #888;padding:10px 16px;background:#f7f7f7;border-radius:4px}
        .badge{display:inline-block;padding:1px 10px;border-radius:4px;color:#fff;background:#666;\
        font-size:16px;vertical-align:3px;letter-spacing:.05em}
        .verdict-pass{border-color:#2e7d32}.verdict-pass .badge{background:#2e7d32}
        .verdict-leak{border-color:#c62828}.verdict-leak .badge{background:#c62828}
        .verdict-invalid,.verdict-crashed,.verdict-interrupted,.verdict-inconclusive{border-color:#b26a00}
        .verdict-invalid .badge,.verdict-crashed .badge,.verdict-interrupted .badge,\
        .verdict-inconclusive .badge{background:#b26a00}
        .description{margin:0 0 6px;color:#444}.reason{margin:0 0 10px;font-weight:600}
        .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:2px 18px;margin:0}
        .facts div{display:flex;gap:8px}.facts dt{color:#666;min-width:78px}.facts dd{margin:0}
        .facts div.wide{grid-column:1/-1}
        .chart{display:block;width:100%;height:auto;max-width:900px}
        .chart text{font-size:11px;fill:#333}.chart .tick{fill:#555}.chart .note{fill:#777;font-style:italic}
        .chart .legend{font-size:12px}.chart .grid{stroke:#e6e6e6;stroke-width:1}
        .chart .axis{fill:none;stroke:#999;stroke-width:1}.chart .band{fill:#f1f1f1}
        .chart .band-label{fill:#888;font-style:italic}
        .caption,.empty,.note{color:#666;font-size:12.5px;margin:2px 0 0}
        .table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:12.5px;width:100%}
        th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e3e3e3;vertical-align:top}
        thead th{background:#f3f3f3;font-weight:600;vertical-align:bottom}td{white-space:nowrap}
        tr.metric-row td,tr.metric-row th{border-bottom:none;padding-bottom:0}
        .ci{display:block;color:#777;font-size:11.5px}
        .reason-row td{white-space:normal;color:#555;font-size:12px;padding-top:1px}
        .chip{padding:0 6px;border-radius:3px;background:#e8f5e9;color:#1b5e20}
        .metric-leak .chip{background:#ffebee;color:#b71c1c;font-weight:700}
        .metric-inconclusive .chip{background:#fff3e0;color:#8a5200;font-weight:700}
        footer{margin-top:28px;color:#888;font-size:12px}
        """
}
