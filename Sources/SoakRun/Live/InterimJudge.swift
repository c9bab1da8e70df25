/// The verdict of a run so far, from its `InterimSeries`, for `status.json` and `/metrics`.
///
/// Why not `RunJudge.judge` on the folder: it reads the whole `samples.csv` (700,000 rows for an
/// 8-day real-time run), so inside the harness it would allocate in proportion to the run, and the
/// harness's own RSS is a judged metric that must stay flat and small; it can also take a second or
/// two. The bounded in-memory series (at most 256 points a metric) costs a fixed ~20 KiB, and a fit
/// some milliseconds and ~300 KiB of scratch on the status thread; it goes through the same rule
/// (`LeakAnalysis.analyze`) and run decision (`RunJudge.decide`), so the interim verdict reads like
/// the final one. `soak report DIR` gives the full judgement at any time.
import SoakAnalysis
import SoakProfiles

enum InterimJudge {
    /// The verdict on what `series` holds, with the run's options; nil before any point.
    static func judge(
        _ series: InterimSeries, options: AnalysisOptions, manifest: RunManifest, integrity: Integrity
    ) -> InterimVerdict? {
        guard let first = series.t.first, let last = series.t.last else { return nil }
        let steadyStart: Double
        switch options.warmup {
        case .fraction(let fraction): steadyStart = first + fraction * (last - first)
        case .duration(let duration): steadyStart = first + duration.analysisSeconds
        }
        var analyses: [MetricAnalysis] = []
        for metric in options.metrics {
            let all = series.points(of: metric)
            guard !all.isEmpty else { continue }
            let steady = all.filter { $0.t >= steadyStart }
            let selection = SeriesSelector.Selection(
                points: steady, source: series.source, bucketSize: series.stride,
                warmupDropped: (all.count - steady.count) * series.stride, steadyValues: steady.map(\.y))
            analyses.append(LeakAnalysis.analyze(metric, selection, peak: series.peak(of: metric), options: options))
        }
        var running = manifest
        running.status = .running
        let analysis = LeakAnalysis(
            metrics: analyses, rows: series.seen, droppedPartialLastLine: false, steadyStartSeconds: steadyStart)
        let summary = RunSummary(
            manifest: running, runFolder: "", integrity: integrity, requests: RequestSummary(), analysis: analysis)
        let (verdict, reason) = RunJudge.decide(running, summary, harnessAlive: true)
        return InterimVerdict(
            verdict: verdict, reason: reason, simSeconds: last, steadyStartSeconds: steadyStart,
            troughsSeen: series.seen, stride: series.stride,
            metrics: analyses.map { analysis in
                InterimVerdict.Metric(
                    metric: analysis.metric, verdict: analysis.verdict, n: analysis.n,
                    slopePerHour: analysis.slopePerHour, lowSlopePerHour: analysis.lowSlopePerHour,
                    highSlopePerHour: analysis.highSlopePerHour, reason: analysis.reason)
            })
    }

    /// The followed culprits judged as the final judge judges them (the profile's thresholds, the
    /// metrics' steady window), growing ones first; nil when the run has none.
    static func culprits(
        _ culprits: InterimCulprits, steadyStartSeconds: Double, options: AnalysisOptions, settings: CulpritSettings
    ) -> [InterimVerdict.Culprit]? {
        let series = culprits.series
        guard !series.isEmpty, options.cycleIntervalSeconds > 0 else { return nil }
        let analysis = CulpritAnalysis.Options(
            thresholds: settings.thresholds, cycleIntervalSeconds: options.cycleIntervalSeconds,
            steadyStartSeconds: steadyStartSeconds, alpha: options.alpha, keepPerSource: settings.top)
        return CulpritAnalysis.analyze(series, options: analysis).map { finding in
            InterimVerdict.Culprit(
                source: finding.source, name: finding.name, unit: finding.unit, growing: finding.growing,
                slopePerCycle: finding.slopePerCycle, last: finding.last)
        }
    }
}
