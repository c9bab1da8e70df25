/// Direction of a monotonic trend found by a Mann–Kendall test.
public enum TrendDirection: String, Codable, Sendable {
    case increasing
    case decreasing
    /// Not significant at the test's alpha. Encoded `"no trend"` as pymannkendall prints it.
    case noTrend = "no trend"
}

/// A Mann–Kendall trend test on a series in time order, with tie correction, as
/// `pymannkendall.original_test` (and, through `hamedRao`, `hamed_rao_modification_test`).
///
/// JSON keys: `method`, `s`, `var_s`, `variance_factor`, `z`, `p`, `tau`, `alpha`, `trend`.
public struct MannKendallTest: Codable, Sendable, Equatable {
    /// Which variance the test used.
    public enum Method: String, Codable, Sendable {
        /// Kendall's variance for independent observations.
        case original
        /// Hamed and Rao (1998): the variance scaled up for autocorrelation.
        case hamedRao = "hamed_rao"
    }

    /// Which variance the test used.
    public var method: Method
    /// Kendall's score: later-greater pairs minus later-smaller pairs (dimensionless).
    public var s: Double
    /// Variance of `s` under no trend, after tie and (Hamed–Rao) autocorrelation correction.
    public var varianceS: Double
    /// The autocorrelation factor n/n* applied to the variance; 1 for the original test.
    public var varianceFactor: Double
    /// Standardised score with continuity correction (dimensionless).
    public var z: Double
    /// Two-sided p-value of `z`.
    public var p: Double
    /// Kendall's tau: s over the number of pairs, in [−1, 1].
    public var tau: Double
    /// Significance level the trend was judged at.
    public var alpha: Double
    /// The trend at `alpha`.
    public var trend: TrendDirection

    enum CodingKeys: String, CodingKey {
        case method, s, z, p, tau, alpha, trend
        case varianceS = "var_s"
        case varianceFactor = "variance_factor"
    }

    /// The original test: `values` in time order (finite), judged two-sided at `alpha`.
    /// Nil with fewer than 2 values.
    public static func original(_ values: [Double], alpha: Double) -> MannKendallTest? {
        guard values.count >= 2 else { return nil }
        let n = values.count
        let s = Double(score(values))
        let variance = Double(n * (n - 1) * (2 * n + 5) - TieGroups.varianceTerm(values)) / 18
        return MannKendallTest(method: .original, s: s, variance: variance, factor: 1, n: n, alpha: alpha)
    }

    /// Assembles the test from the score and the variance, deciding the trend as pymannkendall does.
    init(method: Method, s: Double, variance: Double, factor: Double, n: Int, alpha: Double) {
        self.method = method
        self.s = s
        self.varianceS = variance
        self.varianceFactor = factor
        self.alpha = alpha
        tau = s / (0.5 * Double(n * (n - 1)))
        // The ±1 is the continuity correction for a discrete score. With zero variance (every
        // value tied) s is 0 too, and z is 0.
        if s > 0 {
            z = (s - 1) / variance.squareRoot()
        } else if s < 0 {
            z = (s + 1) / variance.squareRoot()
        } else {
            z = 0
        }
        p = StandardNormal.twoSidedP(z)
        let significant = abs(z) > StandardNormal.quantile(1 - alpha / 2)
        trend = !significant ? .noTrend : (z > 0 ? .increasing : .decreasing)
    }

    /// Σ sign(x_j − x_i) over i < j, exact in integers, in O(n log n): pairs in order minus pairs
    /// out of order, the latter counted by merge sort over the values' ranks (equal values get one
    /// rank, so tied pairs count as neither).
    package static func score(_ values: [Double]) -> Int {
        let n = values.count
        guard n > 1 else { return 0 }
        let order = values.indices.sorted { values[$0] < values[$1] }
        var rank = [Int](repeating: 0, count: n)
        var tiedPairs = 0
        var start = 0
        for position in order.indices {
            if position > 0, values[order[position]] != values[order[position - 1]] {
                tiedPairs += (position - start) * (position - start - 1) / 2
                start = position
            }
            rank[order[position]] = start
        }
        tiedPairs += (n - start) * (n - start - 1) / 2
        let discordant = InversionCount.strict(rank)
        let concordant = n * (n - 1) / 2 - tiedPairs - discordant
        return concordant - discordant
    }

    /// `score` by visiting every pair, O(n²): the reference it must match.
    package static func scoreByPairs(_ values: [Double]) -> Int {
        values.withUnsafeBufferPointer { x in
            var s = 0
            for i in 0..<x.count {
                let xi = x[i]
                var j = i + 1
                while j < x.count {
                    let xj = x[j]
                    s += (xj > xi ? 1 : 0) - (xj < xi ? 1 : 0)
                    j += 1
                }
            }
            return s
        }
    }
}
