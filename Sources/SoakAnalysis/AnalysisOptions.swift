/// Everything the leak analysis of a run needs besides the samples: thresholds, alpha and the
/// scenario's timing. The analysis holds no numbers of its own; they all come from here.
public struct AnalysisOptions: Sendable, Equatable {
    /// Simulated seconds between cycles: converts slopes per cycle to slopes per hour and back.
    public var cycleIntervalSeconds: Double
    /// The start of the run left out of the fit.
    public var warmup: WarmupWindow
    /// Leak thresholds per metric; a metric without one is judged against zero slope and floor.
    public var thresholds: [Metric: Threshold]
    /// Significance level of the Mann–Kendall (Hamed–Rao) trend test.
    public var alpha: Double
    /// Level at which Hamed–Rao counts an autocorrelation lag as significant (5% in their paper).
    public var lagAlpha: Double
    /// Confidence level of the Theil–Sen slope interval.
    public var confidence: Double
    /// Fewer points than this after warm-up make a verdict inconclusive.
    public var minimumPoints: Int
    /// Periodic samples are bucketed by median down to at most this many points; charts get as many.
    public var maxPoints: Int
    /// Trough series longer than this are bucketed too (one trough per cycle of a 1 s cycle over
    /// 8 days would be 700,000 points; the fit is quadratic in its points).
    public var maxTroughPoints: Int
    /// The target's memory limit in bytes, for the projected time to reach it; nil when none.
    public var memoryLimitBytes: Double?
    /// Metrics to judge, in the order results are listed.
    public var metrics: [Metric]

    /// Creates options; every threshold and level is the caller's.
    public init(
        cycleIntervalSeconds: Double, warmup: WarmupWindow, thresholds: [Metric: Threshold], alpha: Double,
        lagAlpha: Double = 0.05, confidence: Double = 0.95, minimumPoints: Int = 12, maxPoints: Int = 2000,
        maxTroughPoints: Int = 4000, memoryLimitBytes: Double? = nil, metrics: [Metric] = Metric.allCases
    ) {
        self.cycleIntervalSeconds = cycleIntervalSeconds
        self.warmup = warmup
        self.thresholds = thresholds
        self.alpha = alpha
        self.lagAlpha = lagAlpha
        self.confidence = confidence
        self.minimumPoints = minimumPoints
        self.maxPoints = maxPoints
        self.maxTroughPoints = maxTroughPoints
        self.memoryLimitBytes = memoryLimitBytes
        self.metrics = metrics
    }

    /// The threshold for `metric`; zero slope and floor when none was given.
    func threshold(for metric: Metric) -> Threshold {
        thresholds[metric] ?? Threshold(perCycle: 0, floor: 0)
    }
}

extension Duration {
    /// The duration in seconds as a Double (attosecond precision is far beyond what samples have).
    package var analysisSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
