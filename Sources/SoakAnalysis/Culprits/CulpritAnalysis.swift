/// Judges every culprit series of a run and ranks those that grow.
///
/// Each series gets the metrics' three-part leak rule (Hamed–Rao trend, the slope's lower bound
/// over a threshold per cycle, growth over a floor), on the steady window only. The thresholds
/// come from the caller per source, never from here. A culprit only ever warns: the run's verdict
/// stays the metrics'.
public enum CulpritAnalysis {
    /// What the analysis needs besides the series.
    public struct Options: Sendable, Equatable {
        /// Per source; a source without one is judged against zero slope and floor.
        public var thresholds: [CulpritSource: Threshold]
        /// Simulated seconds per cycle, to put periodic readings on a per-cycle slope.
        public var cycleIntervalSeconds: Double
        /// Simulated second where the steady window starts (the metrics' warm-up end).
        public var steadyStartSeconds: Double
        /// Significance level of the trend test, as for the metrics.
        public var alpha: Double
        /// Fewer points than this never grow (the judgement is inconclusive).
        public var minimumPoints: Int
        /// Longer series are bucketed by median to this many points.
        public var maxPoints: Int
        /// Findings kept per source, growing ones first.
        public var keepPerSource: Int

        /// Creates options.
        public init(thresholds: [CulpritSource: Threshold], cycleIntervalSeconds: Double, steadyStartSeconds: Double,
                    alpha: Double, minimumPoints: Int = 12, maxPoints: Int = 400, keepPerSource: Int = 10) {
            self.thresholds = thresholds
            self.cycleIntervalSeconds = cycleIntervalSeconds
            self.steadyStartSeconds = steadyStartSeconds
            self.alpha = alpha
            self.minimumPoints = minimumPoints
            self.maxPoints = maxPoints
            self.keepPerSource = keepPerSource
        }
    }

    /// Findings per source: the growing ones by slope, steepest first, then the steepest of the
    /// rest, at most `keepPerSource` each.
    public static func analyze(_ series: [CulpritSeries], options: Options) -> [CulpritFinding] {
        var findings: [CulpritFinding] = []
        for source in CulpritSource.allCases {
            let judged = series.filter { $0.source == source }.compactMap { judge($0, options: options) }
            let ranked = judged.sorted { left, right in
                if left.growing != right.growing { return left.growing }
                return (left.slopePerCycle ?? -.infinity) > (right.slopePerCycle ?? -.infinity)
            }
            findings += ranked.prefix(options.keepPerSource)
        }
        return findings
    }

    /// The growing findings, steepest first within each source, in source order.
    public static func growing(_ findings: [CulpritFinding]) -> [CulpritFinding] {
        findings.filter(\.growing)
    }

    static func judge(_ series: CulpritSeries, options: Options) -> CulpritFinding? {
        let steady = series.points.filter { $0.t >= options.steadyStartSeconds }
        guard !steady.isEmpty else { return nil }
        let reduced = MedianBuckets.reduce(steady, to: options.maxPoints)
        let xPerCycle = series.onCycles ? 1 : options.cycleIntervalSeconds
        let threshold = options.thresholds[series.source] ?? Threshold(perCycle: 0, floor: 0)
        let judgement = TrendJudgement(
            points: reduced.points, xPerCycle: xPerCycle, threshold: threshold, alpha: options.alpha,
            lagAlpha: 0.05, confidence: 0.95, minimumPoints: options.minimumPoints)
        return CulpritFinding(
            source: series.source, name: series.name, unit: series.unit, growing: judgement.verdict == .leak,
            reason: judgement.reason(amount: { AnalysisText.amount($0, series.unit) }, perCycle: "cycle"),
            n: reduced.points.count, slopePerCycle: judgement.slopePerCycle, lowSlopePerCycle: judgement.lowPerCycle,
            highSlopePerCycle: judgement.highPerCycle, growth: judgement.growth, last: series.points.last?.y,
            frames: series.frames, points: reduced.points)
    }
}
