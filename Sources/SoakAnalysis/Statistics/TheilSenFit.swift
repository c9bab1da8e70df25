/// A Theil–Sen line with Sen's confidence interval for its slope, computed exactly as
/// `scipy.stats.theilslopes(y, x, confidence, method="separate")`.
///
/// JSON keys: `slope`, `intercept`, `low_slope`, `high_slope`, `confidence`, `pairs`. Optional values are
/// left out when absent.
public struct TheilSenFit: Codable, Sendable, Equatable {
    /// Median of the pairwise slopes, in y-units per x-unit.
    public var slope: Double
    /// median(y) − slope · median(x), in y-units (the value of the line at x = 0).
    public var intercept: Double
    /// Lower end of the slope's confidence interval, y-units per x-unit; nil when Sen's variance
    /// is negative (heavily tied x and y), where scipy returns NaN.
    public var lowSlope: Double?
    /// Upper end of the slope's confidence interval, y-units per x-unit; nil as for `lowSlope`.
    public var highSlope: Double?
    /// Confidence level of the interval (0.95 for 95%).
    public var confidence: Double
    /// Number of pairs with different x whose slopes the median is taken over.
    public var pairs: Int

    enum CodingKeys: String, CodingKey {
        case slope, intercept, confidence, pairs
        case lowSlope = "low_slope"
        case highSlope = "high_slope"
    }

    /// Creates a fit from its parts (for decoding and tests; use `fit(x:y:confidence:)` to compute).
    public init(slope: Double, intercept: Double, lowSlope: Double?, highSlope: Double?, confidence: Double,
                pairs: Int) {
        self.slope = slope
        self.intercept = intercept
        self.lowSlope = lowSlope
        self.highSlope = highSlope
        self.confidence = confidence
        self.pairs = pairs
    }

    /// Fits a line to finite points; nil with fewer than 2 points or when every x is the same.
    ///
    /// Time O(n log n) plus the slopes near the ranks asked for most series, O(n²) at worst;
    /// memory O(n) plus a few MB (see `PairwiseSlopes`).
    public static func fit(x: [Double], y: [Double], confidence: Double = 0.95) -> TheilSenFit? {
        precondition(x.count == y.count, "x and y differ in length")
        guard x.count >= 2 else { return nil }
        let slopes = PairwiseSlopes(x: x, y: y)
        let pairCount = slopes.count
        guard pairCount > 0 else { return nil }

        // scipy takes either the confidence or its complement; z is the lower alpha/2 quantile.
        let alpha = confidence > 0.5 ? 1 - confidence : confidence
        let z = StandardNormal.quantile(alpha / 2)
        // Sen (1968) eq. 2.6: Kendall's variance with tie corrections for x and for y.
        let n = x.count
        let tiedTerms = TieGroups.varianceTerm(x) + TieGroups.varianceTerm(y)
        let sigmaSquared = 1.0 / 18.0 * Double(n * (n - 1) * (2 * n + 5) - tiedTerms)

        var ranks = [(pairCount - 1) / 2, pairCount / 2]
        var interval: (low: Int, high: Int)? = nil
        if sigmaSquared >= 0 {
            let sigma = sigmaSquared.squareRoot()
            let total = Double(pairCount)
            // numpy's round() is round-half-to-even; the indices must match scipy's exactly.
            let high = min(Int(((total - z * sigma) / 2).rounded(.toNearestOrEven)), pairCount - 1)
            let low = max(Int(((total + z * sigma) / 2).rounded(.toNearestOrEven)) - 1, 0)
            interval = (low, high)
            ranks += [low, high]
        }
        let values = slopes.values(atRanks: ranks)
        let slope = pairCount % 2 == 1 ? values[0] : (values[0] + values[1]) / 2

        var xs = x
        var ys = y
        let intercept = OrderStatistics.median(&ys) - slope * OrderStatistics.median(&xs)
        return TheilSenFit(
            slope: slope, intercept: intercept,
            lowSlope: interval == nil ? nil : values[2], highSlope: interval == nil ? nil : values[3],
            confidence: confidence, pairs: pairCount)
    }
}
