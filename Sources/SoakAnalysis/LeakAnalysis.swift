import Dispatch
import FoundationEssentials
import Synchronization

/// The leak analysis of a whole run: one `MetricAnalysis` per metric that has any value.
///
/// JSON keys: `metrics`, `rows`, `dropped_partial_last_line`, `steady_start_s`. Optional values are
/// left out when absent.
public struct LeakAnalysis: Codable, Sendable, Equatable {
    /// Per metric, in `AnalysisOptions.metrics` order; metrics whose column is absent or entirely
    /// empty (no heap counters for a generic command) are left out.
    public var metrics: [MetricAnalysis]
    /// Data rows read from the samples.
    public var rows: Int
    /// True when the samples ended in a cut-off line that was not read.
    public var droppedPartialLastLine: Bool
    /// Simulated second where the steady window starts (the end of the warm-up).
    public var steadyStartSeconds: Double

    enum CodingKeys: String, CodingKey {
        case metrics, rows
        case droppedPartialLastLine = "dropped_partial_last_line"
        case steadyStartSeconds = "steady_start_s"
    }

    package init(metrics: [MetricAnalysis], rows: Int, droppedPartialLastLine: Bool, steadyStartSeconds: Double) {
        self.metrics = metrics
        self.rows = rows
        self.droppedPartialLastLine = droppedPartialLastLine
        self.steadyStartSeconds = steadyStartSeconds
    }

    /// The metrics that leak.
    public var leaks: [MetricAnalysis] { metrics.filter { $0.verdict == .leak } }

    /// Judges every metric of `table`. Throws when the table has no `sim_seconds` values, without
    /// which there is no time axis, or when the options are unusable.
    public static func analyze(_ table: SampleTable, options: AnalysisOptions) throws -> LeakAnalysis {
        guard options.cycleIntervalSeconds > 0, options.cycleIntervalSeconds.isFinite else {
            throw SampleTableError(message: "analysis: the cycle interval must be a positive duration")
        }
        guard let selector = SeriesSelector(table: table, options: options) else {
            throw SampleTableError(
                message: "\(table.source): no \(SampleColumn.simSeconds.rawValue) values: nothing to put on a time axis",
                column: SampleColumn.simSeconds.rawValue)
        }
        let metrics = options.metrics
        // Metrics are independent: judge them in parallel.
        let results = ResultSlots<MetricAnalysis>(count: metrics.count)
        DispatchQueue.concurrentPerform(iterations: metrics.count) { index in
            let metric = metrics[index]
            guard let values = table.numeric[metric.columnName],
                  let selection = selector.select(values) else { return }
            results.set(index, analyze(metric, selection, peak: values.lazy.filter { !$0.isNaN }.max(),
                                       options: options))
        }
        return LeakAnalysis(
            metrics: results.values.compactMap { $0 }, rows: table.rowCount,
            droppedPartialLastLine: table.droppedPartialLastLine, steadyStartSeconds: selector.steadyStart)
    }

    /// Judges already selected series, in parallel; results keep the order given.
    package static func analyze(
        _ chosen: [(Metric, SeriesSelector.Selection, Double?)], options: AnalysisOptions
    ) -> [MetricAnalysis] {
        let results = ResultSlots<MetricAnalysis>(count: chosen.count)
        DispatchQueue.concurrentPerform(iterations: chosen.count) { index in
            let (metric, selection, peak) = chosen[index]
            results.set(index, analyze(metric, selection, peak: peak, options: options))
        }
        return results.values.compactMap { $0 }
    }

    package static func analyze(_ metric: Metric, _ selection: SeriesSelector.Selection, peak: Double?,
                        options: AnalysisOptions) -> MetricAnalysis {
        let interval = options.cycleIntervalSeconds
        let xPerCycle = selection.source == .troughs ? 1 : interval
        let threshold = options.threshold(for: metric)
        let judgement = TrendJudgement(
            points: selection.points, xPerCycle: xPerCycle, threshold: threshold, alpha: options.alpha,
            lagAlpha: options.lagAlpha, confidence: options.confidence, minimumPoints: options.minimumPoints)
        let perHour = 3600 / interval
        let slopePerHour = judgement.slopePerCycle.map { $0 * perHour }

        var timeToLimit: Double? = nil
        if let limit = options.memoryLimitBytes, metric.unit == .bytes, metric != .harnessRSS,
           let fit = judgement.fit, let slopePerHour, slopePerHour > 0, let last = selection.points.last {
            let level = fit.intercept + fit.slope * last.x
            timeToLimit = max(0, (limit - level) / slopePerHour * 3600)
        }
        let chart = MedianBuckets.reduce(selection.points, to: options.maxPoints).points
        return MetricAnalysis(
            metric: metric, unit: metric.unit, verdict: judgement.verdict,
            reason: judgement.reason(amount: { AnalysisText.amount($0, metric.unit) }, perCycle: "cycle"),
            source: selection.source, n: selection.points.count, bucketSize: selection.bucketSize,
            warmupDropped: selection.warmupDropped, windowStartSeconds: selection.points.first?.t,
            windowEndSeconds: selection.points.last?.t, windowCycles: judgement.window / xPerCycle,
            fit: judgement.fit, slopePerCycle: judgement.slopePerCycle, lowSlopePerCycle: judgement.lowPerCycle,
            highSlopePerCycle: judgement.highPerCycle, slopePerHour: slopePerHour,
            lowSlopePerHour: judgement.lowPerCycle.map { $0 * perHour },
            highSlopePerHour: judgement.highPerCycle.map { $0 * perHour }, growth: judgement.growth,
            mannKendall: judgement.original, hamedRao: judgement.hamedRao,
            plateau: selection.plateau, peak: peak,
            projectedGrowth30Days: slopePerHour.map { $0 * 24 * 30 }, timeToLimitSeconds: timeToLimit,
            thresholdPerCycle: threshold.perCycle, thresholdFloor: threshold.floor, alpha: options.alpha,
            points: chart)
    }
}

/// Slots filled from `concurrentPerform` workers, each index by exactly one worker.
private final class ResultSlots<Value: Sendable>: Sendable {
    private let storage: Mutex<[Value?]>

    init(count: Int) { storage = Mutex([Value?](repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Value) { storage.withLock { $0[index] = value } }

    var values: [Value?] { storage.withLock { $0 } }
}
