/// The leak analysis of one metric of a run: the series judged, the statistics, the verdict and
/// why. Embedded in `summary.json`; every key below is stable.
///
/// JSON keys: `metric`, `unit`, `decides`, `verdict`, `reason`, `source`, `n`, `bucket_size`, `warmup_dropped`,
/// `window_start_s`, `window_end_s`, `window_cycles`, `fit`, `slope_per_cycle`, `low_slope_per_cycle`,
/// `high_slope_per_cycle`, `slope_per_hour`, `low_slope_per_hour`, `high_slope_per_hour`, `growth`,
/// `mann_kendall`, `hamed_rao`, `plateau`, `peak`, `projected_growth_30d`, `time_to_limit_s`,
/// `threshold_per_cycle`, `threshold_floor`, `alpha`, `points`. Optional values are
/// left out when absent.
public struct MetricAnalysis: Codable, Sendable, Equatable {
    /// The metric judged.
    public var metric: Metric
    /// Its unit; every value below without another unit is in it.
    public var unit: MetricUnit
    /// pass, leak or inconclusive.
    public var verdict: LeakVerdict
    /// One line saying why, with the numbers that decided it.
    public var reason: String
    /// troughs (x = cycle) or periodic (x = simulated seconds).
    public var source: SeriesSource
    /// Points fitted (after warm-up and bucketing).
    public var n: Int
    /// Raw samples per fitted point in the largest bucket; 1 when not bucketed.
    public var bucketSize: Int
    /// Raw samples of the chosen source left out as warm-up.
    public var warmupDropped: Int
    /// Simulated seconds at the first fitted point.
    public var windowStartSeconds: Double?
    /// Simulated seconds at the last fitted point.
    public var windowEndSeconds: Double?
    /// Length of the steady window in cycles.
    public var windowCycles: Double
    /// The Theil–Sen fit on the series' own axis (per cycle for troughs, per second for periodic).
    public var fit: TheilSenFit?
    /// Theil–Sen slope, unit per cycle.
    public var slopePerCycle: Double?
    /// Lower end of the slope's confidence interval, unit per cycle.
    public var lowSlopePerCycle: Double?
    /// Upper end of the slope's confidence interval, unit per cycle.
    public var highSlopePerCycle: Double?
    /// Theil–Sen slope, unit per simulated hour.
    public var slopePerHour: Double?
    /// Lower end of the slope's confidence interval, unit per simulated hour.
    public var lowSlopePerHour: Double?
    /// Upper end of the slope's confidence interval, unit per simulated hour.
    public var highSlopePerHour: Double?
    /// Fitted growth over the steady window: slope × window length, in the unit.
    public var growth: Double?
    /// The Mann–Kendall test without autocorrelation correction (for comparison only).
    public var mannKendall: MannKendallTest?
    /// The Mann–Kendall test with Hamed–Rao's correction: the one the verdict uses. Its variance
    /// factor is never below 1 here (the correction may only make the test stricter).
    public var hamedRao: MannKendallTest?
    /// Median of the steady window's raw values, in the unit.
    public var plateau: Double?
    /// Largest value of the metric anywhere in the run (warm-up and every sample kind included).
    public var peak: Double?
    /// slope × 30 simulated days, in the unit.
    public var projectedGrowth30Days: Double?
    /// Simulated seconds from the end of the window until the fitted line reaches the memory
    /// limit (0 when already above it); nil without a limit, a positive slope or a byte metric
    /// of the target.
    public var timeToLimitSeconds: Double?
    /// The per-cycle threshold the slope's lower bound was compared with, unit per cycle.
    public var thresholdPerCycle: Double
    /// The floor the growth was compared with, in the unit.
    public var thresholdFloor: Double
    /// Significance level of the trend test.
    public var alpha: Double
    /// The fitted series for charts (at most `AnalysisOptions.maxPoints`, bucketed by median).
    public var points: [SeriesPoint]
    /// Whether a leak here fails the run (JSON `decides`; absent in summaries made before
    /// declared metrics, where the metric's built-in rule applies).
    public var decides: Bool { metric.decidesVerdict }

    enum CodingKeys: String, CodingKey {
        case metric, unit, decides, verdict, reason, source, n, fit, growth, plateau, peak, alpha, points
        case bucketSize = "bucket_size"
        case warmupDropped = "warmup_dropped"
        case windowStartSeconds = "window_start_s"
        case windowEndSeconds = "window_end_s"
        case windowCycles = "window_cycles"
        case slopePerCycle = "slope_per_cycle"
        case lowSlopePerCycle = "low_slope_per_cycle"
        case highSlopePerCycle = "high_slope_per_cycle"
        case slopePerHour = "slope_per_hour"
        case lowSlopePerHour = "low_slope_per_hour"
        case highSlopePerHour = "high_slope_per_hour"
        case mannKendall = "mann_kendall"
        case hamedRao = "hamed_rao"
        case projectedGrowth30Days = "projected_growth_30d"
        case timeToLimitSeconds = "time_to_limit_s"
        case thresholdPerCycle = "threshold_per_cycle"
        case thresholdFloor = "threshold_floor"
    }
}

extension MetricAnalysis {
    /// Decodes every key, rebuilding a declared metric with the unit and rule the summary recorded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(Metric.self, forKey: .metric).rawValue
        unit = try container.decode(MetricUnit.self, forKey: .unit)
        let decides = try container.decodeIfPresent(Bool.self, forKey: .decides)
        metric = Metric(rawValue: name) ?? Metric(declared: name, unit: unit, decides: decides ?? true)
        verdict = try container.decode(LeakVerdict.self, forKey: .verdict)
        reason = try container.decode(String.self, forKey: .reason)
        source = try container.decode(SeriesSource.self, forKey: .source)
        n = try container.decode(Int.self, forKey: .n)
        bucketSize = try container.decode(Int.self, forKey: .bucketSize)
        warmupDropped = try container.decode(Int.self, forKey: .warmupDropped)
        windowStartSeconds = try container.decodeIfPresent(Double.self, forKey: .windowStartSeconds)
        windowEndSeconds = try container.decodeIfPresent(Double.self, forKey: .windowEndSeconds)
        windowCycles = try container.decode(Double.self, forKey: .windowCycles)
        fit = try container.decodeIfPresent(TheilSenFit.self, forKey: .fit)
        slopePerCycle = try container.decodeIfPresent(Double.self, forKey: .slopePerCycle)
        lowSlopePerCycle = try container.decodeIfPresent(Double.self, forKey: .lowSlopePerCycle)
        highSlopePerCycle = try container.decodeIfPresent(Double.self, forKey: .highSlopePerCycle)
        slopePerHour = try container.decodeIfPresent(Double.self, forKey: .slopePerHour)
        lowSlopePerHour = try container.decodeIfPresent(Double.self, forKey: .lowSlopePerHour)
        highSlopePerHour = try container.decodeIfPresent(Double.self, forKey: .highSlopePerHour)
        growth = try container.decodeIfPresent(Double.self, forKey: .growth)
        mannKendall = try container.decodeIfPresent(MannKendallTest.self, forKey: .mannKendall)
        hamedRao = try container.decodeIfPresent(MannKendallTest.self, forKey: .hamedRao)
        plateau = try container.decodeIfPresent(Double.self, forKey: .plateau)
        peak = try container.decodeIfPresent(Double.self, forKey: .peak)
        projectedGrowth30Days = try container.decodeIfPresent(Double.self, forKey: .projectedGrowth30Days)
        timeToLimitSeconds = try container.decodeIfPresent(Double.self, forKey: .timeToLimitSeconds)
        thresholdPerCycle = try container.decode(Double.self, forKey: .thresholdPerCycle)
        thresholdFloor = try container.decode(Double.self, forKey: .thresholdFloor)
        alpha = try container.decode(Double.self, forKey: .alpha)
        points = try container.decode([SeriesPoint].self, forKey: .points)
    }

    /// Encodes every key; `decides` always, so a declared metric's rule survives a round trip.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric, forKey: .metric)
        try container.encode(unit, forKey: .unit)
        try container.encode(decides, forKey: .decides)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reason, forKey: .reason)
        try container.encode(source, forKey: .source)
        try container.encode(n, forKey: .n)
        try container.encode(bucketSize, forKey: .bucketSize)
        try container.encode(warmupDropped, forKey: .warmupDropped)
        try container.encodeIfPresent(windowStartSeconds, forKey: .windowStartSeconds)
        try container.encodeIfPresent(windowEndSeconds, forKey: .windowEndSeconds)
        try container.encode(windowCycles, forKey: .windowCycles)
        try container.encodeIfPresent(fit, forKey: .fit)
        try container.encodeIfPresent(slopePerCycle, forKey: .slopePerCycle)
        try container.encodeIfPresent(lowSlopePerCycle, forKey: .lowSlopePerCycle)
        try container.encodeIfPresent(highSlopePerCycle, forKey: .highSlopePerCycle)
        try container.encodeIfPresent(slopePerHour, forKey: .slopePerHour)
        try container.encodeIfPresent(lowSlopePerHour, forKey: .lowSlopePerHour)
        try container.encodeIfPresent(highSlopePerHour, forKey: .highSlopePerHour)
        try container.encodeIfPresent(growth, forKey: .growth)
        try container.encodeIfPresent(mannKendall, forKey: .mannKendall)
        try container.encodeIfPresent(hamedRao, forKey: .hamedRao)
        try container.encodeIfPresent(plateau, forKey: .plateau)
        try container.encodeIfPresent(peak, forKey: .peak)
        try container.encodeIfPresent(projectedGrowth30Days, forKey: .projectedGrowth30Days)
        try container.encodeIfPresent(timeToLimitSeconds, forKey: .timeToLimitSeconds)
        try container.encode(thresholdPerCycle, forKey: .thresholdPerCycle)
        try container.encode(thresholdFloor, forKey: .thresholdFloor)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(points, forKey: .points)
    }
}
