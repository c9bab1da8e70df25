/// `soak analyze FILE.csv --y COLUMN [--x COLUMN] [--warmup N|P%]`: the trend of any one column.
///
/// The same statistics and leak rule as a run's metrics, on an axis the file provides: the x
/// column's units, or the row index (0-based data row) without one. Slopes and the per-cycle
/// threshold are per x unit.
///
/// JSON keys: `y`, `x`, `verdict`, `reason`, `n`, `bucket_size`, `warmup_dropped`, `missing_skipped`,
/// `fit`, `window`, `growth`, `mann_kendall`, `hamed_rao`, `threshold_per_x`, `threshold_floor`,
/// `alpha`, `points`. Optional values are
/// left out when absent.
public struct SeriesAnalysis: Codable, Sendable, Equatable {
    /// The y column's name.
    public var y: String
    /// The x column's name; nil when x is the row index.
    public var x: String?
    /// pass, leak or inconclusive.
    public var verdict: LeakVerdict
    /// One line saying why, with the numbers that decided it.
    public var reason: String
    /// Points fitted (after warm-up and bucketing).
    public var n: Int
    /// Raw points per fitted point in the largest bucket; 1 when not bucketed.
    public var bucketSize: Int
    /// Usable points left out as warm-up.
    public var warmupDropped: Int
    /// Rows skipped because x or y was empty.
    public var missingSkipped: Int
    /// Theil–Sen slope (y per x unit), intercept (y at x = 0) and the slope's interval.
    public var fit: TheilSenFit?
    /// Span of the fitted points on the x axis, in x units.
    public var window: Double
    /// slope × window, in y units.
    public var growth: Double?
    /// Mann–Kendall without autocorrelation correction.
    public var mannKendall: MannKendallTest?
    /// Mann–Kendall with Hamed–Rao's correction: the one the verdict uses (variance factor at
    /// least 1: the correction may only make the test stricter).
    public var hamedRao: MannKendallTest?
    /// The threshold the slope's lower bound was compared with, y per x unit.
    public var thresholdPerX: Double
    /// The floor the growth was compared with, y units.
    public var thresholdFloor: Double
    /// Significance level of the trend test.
    public var alpha: Double
    /// The fitted points (at most `Options.maxPoints`); `t` equals `x`.
    public var points: [SeriesPoint]

    enum CodingKeys: String, CodingKey {
        case y, x, verdict, reason, n, fit, window, growth, alpha, points
        case bucketSize = "bucket_size"
        case warmupDropped = "warmup_dropped"
        case missingSkipped = "missing_skipped"
        case mannKendall = "mann_kendall"
        case hamedRao = "hamed_rao"
        case thresholdPerX = "threshold_per_x"
        case thresholdFloor = "threshold_floor"
    }

    /// What `analyze` needs besides the file; the defaults are `soak analyze`'s.
    public struct Options: Sendable, Equatable {
        /// `perCycle` applies per x unit here.
        public var threshold: Threshold
        /// Significance level of the trend test.
        public var alpha: Double
        /// Level at which Hamed–Rao counts an autocorrelation lag as significant.
        public var lagAlpha: Double
        /// Confidence level of the slope interval.
        public var confidence: Double
        /// Leading points left out.
        public var warmup: SeriesWarmup
        /// Fewer points than this make the verdict inconclusive.
        public var minimumPoints: Int
        /// Longer series are bucketed by median to this many points.
        public var maxPoints: Int

        /// Creates options.
        public init(threshold: Threshold = Threshold(perCycle: 0, floor: 0), alpha: Double = 0.01,
                    lagAlpha: Double = 0.05, confidence: Double = 0.95, warmup: SeriesWarmup = .points(0),
                    minimumPoints: Int = 12, maxPoints: Int = 2000) {
            self.threshold = threshold
            self.alpha = alpha
            self.lagAlpha = lagAlpha
            self.confidence = confidence
            self.warmup = warmup
            self.minimumPoints = minimumPoints
            self.maxPoints = maxPoints
        }
    }

    /// Analyses column `y` of `table` against column `x` (or the row index); throws when a column
    /// is absent or not numeric.
    public static func analyze(_ table: SampleTable, y yName: String, x xName: String? = nil,
                               options: Options = Options()) throws -> SeriesAnalysis {
        let yColumn = try table.column(named: yName)
        let xColumn = try xName.map { try table.column(named: $0) }
        var usable: [SeriesPoint] = []
        usable.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            guard let value = yColumn[row] else { continue }
            let position = xColumn.map { $0[row] } ?? Double(row)
            guard let position else { continue }
            usable.append(SeriesPoint(x: position, t: position, y: value))
        }
        let missing = table.rowCount - usable.count
        let dropped = options.warmup.dropped(of: usable.count)
        let steady = SeriesSelector.inOrder(Array(usable.dropFirst(dropped)))
        let reduced = MedianBuckets.reduce(steady, to: options.maxPoints)
        return judge(y: yName, x: xName, reduced, dropped: dropped, missing: missing, options: options)
    }

    /// The verdict on the steady points, already bucketed.
    static func judge(
        y yName: String, x xName: String?, _ reduced: (points: [SeriesPoint], bucketSize: Int), dropped: Int,
        missing: Int, options: Options
    ) -> SeriesAnalysis {
        let judgement = TrendJudgement(
            points: reduced.points, xPerCycle: 1, threshold: options.threshold, alpha: options.alpha,
            lagAlpha: options.lagAlpha, confidence: options.confidence, minimumPoints: options.minimumPoints)
        return SeriesAnalysis(
            y: yName, x: xName, verdict: judgement.verdict,
            reason: judgement.reason(amount: AnalysisText.plain, perCycle: xName ?? "row"),
            n: reduced.points.count, bucketSize: reduced.bucketSize, warmupDropped: dropped,
            missingSkipped: missing, fit: judgement.fit, window: judgement.window, growth: judgement.growth,
            mannKendall: judgement.original, hamedRao: judgement.hamedRao,
            thresholdPerX: options.threshold.perCycle, thresholdFloor: options.threshold.floor,
            alpha: options.alpha, points: reduced.points)
    }
}
