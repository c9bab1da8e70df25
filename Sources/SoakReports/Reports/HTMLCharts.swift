/// The charts of `report.html`: which series each one draws, in which colours, with what caption.
import SoakAnalysis
import SoakRun

enum HTMLCharts {
    /// One chart section; `svg` is nil when the run recorded nothing for it, and the page says so.
    struct Chart {
        var title: String
        var caption: String
        var svg: String?
    }

    /// How one metric is drawn: its label and a light colour for the periodic line, a dark one for
    /// troughs and the fit.
    private struct Style {
        var metric: Metric
        var label: String
        var light: String
        var dark: String
    }

    private static let rss = Style(metric: .rss, label: "RSS", light: "#8fb8de", dark: "#1f5f99")
    private static let pss = Style(metric: .pss, label: "PSS", light: "#c3ade0", dark: "#6a3d9a")
    private static let heap = Style(metric: .heapInUse, label: "heap in use", light: "#9fd49a", dark: "#2b7a2b")
    private static let instances = Style(metric: .liveInstances, label: "live instances", light: "#e0b48f",
                                         dark: "#a0522d")
    private static let fds = Style(metric: .fds, label: "descriptors", light: "#8fb8de", dark: "#1f5f99")
    private static let threads = Style(metric: .threads, label: "threads", light: "#f2b36b", dark: "#b35900")
    private static let leakColor = "#c62828"
    /// Near black, so a fit shows over the trough dots it runs through; red when it leaks.
    private static let fitColor = "#222"

    private static let memoryCaption = "Thin lines: periodic samples. Dots: troughs, one per cycle with everything "
        + "unloaded, the series the leak test reads. Dashed: the Theil–Sen fit over the steady window. "
        + "Shaded: warm-up, left out of the fit."

    static func charts(_ judgement: RunJudge.Judgement) -> [Chart] {
        let summary = judgement.summary
        let bands = warmup(judgement)
        let span = timeSpan(judgement)
        func chart(_ title: String, _ caption: String, _ axis: ChartAxis, _ styles: [Style]) -> Chart {
            let series = styles.flatMap { metricSeries($0, judgement) }
            let svg = SVGChart(y: axis, series: series, bands: bands, xSpan: span, title: title).render()
            return Chart(title: title, caption: caption, svg: svg)
        }
        // RSS and PSS get a chart each: one process's PSS can be a third of its RSS, and on a
        // shared axis both would be flat lines whatever they did.
        var charts = [
            chart("Memory over simulated time: RSS", memoryCaption, .bytes, [rss]),
            chart("Memory over simulated time: PSS", "PSS counts shared pages in proportion to the processes "
                + "sharing them, so the library pages every process maps weigh little.", .bytes, [pss]),
            chart("Heap in use", "Bytes malloc holds in use (mallinfo2), from the target's /_runtime/stats.",
                  .bytes, [heap]),
            chart("Live instances", "Instances of the runtime's main classes, counted in init and deinit: "
                + "a retain cycle shows here first.", .count, [instances]),
            chart("Descriptors and threads", "Open file descriptors and threads of the target's process tree.",
                  .count, [fds, threads]),
        ]
        // One chart per column a metric source declared and the run recorded.
        for analysis in summary.analysis.metrics where !analysis.metric.isBuiltIn {
            let metric = analysis.metric
            let style = Style(metric: metric, label: metric.rawValue, light: "#9fd49a", dark: "#2b7a2b")
            let role = metric.decidesVerdict ? "decides the verdict" : "only warns"
            charts.append(chart(metric.rawValue, "A column the profile's metric sources declared; it \(role). "
                + memoryCaption, metric.unit == .bytes ? .bytes : .count, [style]))
        }
        let latency = ReportSeries.latency(judgement.requests)
        let requests = judgement.requests
        let latencySeries = [
            SVGChart.Series(label: "cold (\(requests.coldCount))", color: "#d9822b", mark: .dots(radius: 2.2),
                            points: latency.cold),
            SVGChart.Series(label: "warm (\(requests.warmCount))", color: "#1f5f99", mark: .dots(radius: 2.2),
                            points: latency.warm),
            SVGChart.Series(label: "failed (\(requests.failedCount))", color: leakColor, mark: .dots(radius: 3),
                            points: latency.failed),
        ]
        let latencyTitle = "Request latency, cold against warm"
        charts.append(Chart(
            title: latencyTitle,
            caption: "Each request at its simulated time. Cold: it loaded its tenant or deployed a ghost. "
                + ReportText.latencyLine(summary.requests) + ".",
            svg: SVGChart(x: .simulatedTime, y: .milliseconds, series: latencySeries, bands: bands, xSpan: span,
                          title: latencyTitle).render()))
        return charts
    }

    /// The periodic line, the trough dots and the fitted line of one metric.
    private static func metricSeries(_ style: Style, _ judgement: RunJudge.Judgement) -> [SVGChart.Series] {
        guard let digest = judgement.samples, let samples = ReportSeries.samples(digest, named: style.metric.columnName)
        else {
            return []
        }
        var series = [SVGChart.Series(label: style.label, color: style.light, mark: .line(width: 1.2),
                                      points: samples.periodic)]
        if !samples.troughs.isEmpty {
            series.append(SVGChart.Series(label: "\(style.label) troughs", color: style.dark,
                                          mark: .dots(radius: 1.8), points: samples.troughs))
        }
        if let analysis = judgement.summary.metric(style.metric) {
            let line = ReportSeries.fitLine(analysis)
            if !line.isEmpty {
                let slope = ReportText.amount(analysis.slopePerCycle, analysis.unit)
                let leaks = analysis.verdict == .leak
                series.append(SVGChart.Series(
                    label: "\(style.label) fit \(slope)/cycle" + (leaks ? ": LEAK" : ""),
                    color: leaks ? leakColor : fitColor, mark: .dashed(width: 1.6), points: line))
            }
        }
        return series
    }

    /// Simulated time from the first to the last thing recorded, sample or request: every chart
    /// spans it, so one moment sits at the same place on each.
    private static func timeSpan(_ judgement: RunJudge.Judgement) -> ClosedRange<Double>? {
        var times = judgement.requests.timeSpan.map { [$0.lowerBound, $0.upperBound] } ?? []
        if let first = judgement.samples?.firstSimSeconds, let last = judgement.samples?.lastSimSeconds {
            times += [first, last]
        }
        guard let first = times.min(), let last = times.max() else { return nil }
        return first...last
    }

    /// The warm-up window, from the first sample to the start of the steady window.
    private static func warmup(_ judgement: RunJudge.Judgement) -> [SVGChart.Band] {
        let steadyStart = judgement.summary.analysis.steadyStartSeconds
        guard let first = judgement.samples?.firstSimSeconds, steadyStart > first else { return [] }
        return [SVGChart.Band(from: first, to: steadyStart, label: "warm-up")]
    }
}
