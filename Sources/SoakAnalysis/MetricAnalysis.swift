/// The leak analysis of one metric of a run: the series judged, the statistics, the verdict and
/// why. Embedded in `summary.json`; every key below is stable.
///
/// JSON keys: `metric`, `unit`, `verdict`, `reason`, `source`, `n`, `bucket_size`, `warmup_dropped`,
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

    enum CodingKeys: String, CodingKey {
        case metric, unit, verdict, reason, source, n, fit, growth, plateau, peak, alpha, points
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
