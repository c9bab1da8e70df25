/// The series report charts draw, taken from a run's samples, analysis and request log.
import SoakAnalysis
import SoakRun

enum ReportSeries {
    /// One column over simulated time, split by sample kind.
    struct Samples {
        /// Periodic samples (and rows of no kind), in file order; missing values are NaN gaps.
        var periodic: [ChartPoint]
        /// One sample per cycle at the same phase; missing values are left out (dots have no gaps).
        var troughs: [ChartPoint]
    }

    /// `column` of `table` over simulated time; nil when the column is absent or has no value.
    static func samples(_ table: SampleTable, _ column: SampleColumn) -> Samples? {
        samples(table, named: column.rawValue)
    }

    /// The periodic and trough samples of the column named `name`; nil when it has no values.
    static func samples(_ table: SampleTable, named name: String) -> Samples? {
        guard let values = table.numeric[name], let time = table.numeric[SampleColumn.simSeconds.rawValue],
              values.contains(where: { !$0.isNaN }) else { return nil }
        let kinds = table.kinds
        var samples = Samples(periodic: [], troughs: [])
        for row in values.indices {
            let t = time[row]
            // A row without a time has nowhere to go on the x axis.
            guard !t.isNaN else { continue }
            if kinds?[row] == .trough {
                if !values[row].isNaN { samples.troughs.append(ChartPoint(x: t, y: values[row])) }
            } else {
                samples.periodic.append(ChartPoint(x: t, y: values[row]))
            }
        }
        return samples
    }

    /// The periodic and trough samples of column `name` as streamed into `digest`: already reduced
    /// to at most `ChartSampling.maxPoints` each, min/max per time bin; nil when it has no values.
    static func samples(_ digest: SampleDigest, named name: String) -> Samples? {
        guard let chart = digest.charts[name] else { return nil }
        return Samples(periodic: chart.periodic.points.map { ChartPoint(x: $0.x, y: $0.y) },
                       troughs: chart.troughs.points.map { ChartPoint(x: $0.x, y: $0.y) })
    }

    /// The fitted Theil–Sen line of `metric` across its steady window, on simulated time.
    ///
    /// The fit lives on the series' own axis (the cycle number for troughs, simulated seconds for
    /// periodic samples); each analysed point carries both, so the ends are placed at their
    /// simulated time and valued on the fit's axis.
    static func fitLine(_ metric: MetricAnalysis) -> [ChartPoint] {
        guard let fit = metric.fit, let first = metric.points.first, let last = metric.points.last else { return [] }
        return [first, last].map { ChartPoint(x: $0.t, y: fit.intercept + fit.slope * $0.x) }
    }

    /// Request latency over simulated time: successful cold, successful warm, and failed requests,
    /// each already reduced to the lowest and highest latency per time bin as the log was read.
    static func latency(_ chart: RequestChart) -> (cold: [ChartPoint], warm: [ChartPoint], failed: [ChartPoint]) {
        func points(_ envelope: ChartEnvelope) -> [ChartPoint] { envelope.points.map { ChartPoint(x: $0.x, y: $0.y) } }
        return (points(chart.cold), points(chart.warm), points(chart.failed))
    }
}
