extension MannKendallTest {
    /// The Mann–Kendall test with Hamed and Rao's (1998) variance correction for autocorrelation,
    /// as `pymannkendall.hamed_rao_modification_test(values, alpha, lag=None)`.
    ///
    /// Memory series are strongly autocorrelated; the original test calls a wandering flat series
    /// a trend. The correction detrends with Sen's slope, ranks the residuals, and scales the
    /// variance by n/n* using every autocorrelation lag that is significant at `lagAlpha`.
    ///
    /// pymannkendall judges the lags at the test's own alpha; Hamed and Rao judge them at 5%.
    /// Pass `lagAlpha: alpha` to reproduce pymannkendall exactly at any alpha. Nil below 3 values.
    ///
    /// Two deliberate departures, both where pymannkendall returns NaN: when all residual ranks are
    /// equal (an exactly linear series) there is no autocorrelation to estimate, and when the
    /// factor comes out non-positive (strong negative autocorrelation) the variance would be
    /// meaningless; both keep factor 1, the original test's variance.
    public static func hamedRao(_ values: [Double], alpha: Double, lagAlpha: Double = 0.05) -> MannKendallTest? {
        hamedRao(values, alpha: alpha, lagAlpha: lagAlpha, original: nil, senSlope: nil)
    }

    /// `hamedRao` reusing work the caller already did: the original test on the same values (for
    /// its score and variance) and Sen's slope over the index (equal to a Theil–Sen slope on
    /// x = index + constant). Each is a pass over the series saved.
    static func hamedRao(_ values: [Double], alpha: Double, lagAlpha: Double, original: MannKendallTest?,
                         senSlope: Double?) -> MannKendallTest? {
        guard values.count >= 3 else { return nil }
        let n = values.count
        let s = original?.s ?? Double(score(values))
        let variance = original?.varianceS
            ?? Double(n * (n - 1) * (2 * n + 5) - TieGroups.varianceTerm(values)) / 18

        // pymannkendall detrends with x − (i+1)·slope, i from 0; the offset does not change ranks
        // but is kept so that ties among residuals fall exactly where numpy's do.
        let slope = senSlope ?? senSlopeOverIndex(values)
        let residuals = values.indices.map { values[$0] - Double($0 + 1) * slope }
        let ranks = TieGroups.averageRanks(residuals)
        let factor = varianceFactor(ranks: ranks, lagAlpha: lagAlpha)
        return MannKendallTest(method: .hamedRao, s: s, variance: variance * factor, factor: factor, n: n, alpha: alpha)
    }

    /// pymannkendall's `sens_slope`: the median slope over all pairs with the index as x.
    static func senSlopeOverIndex(_ values: [Double]) -> Double {
        let pairs = PairwiseSlopes(x: values.indices.map(Double.init), y: values)
        let middle = pairs.values(atRanks: [(pairs.count - 1) / 2, pairs.count / 2])
        return pairs.count % 2 == 1 ? middle[0] : (middle[0] + middle[1]) / 2
    }

    /// n/n* = 1 + 2 / (n(n−1)(n−2)) · Σ (n−i)(n−i−1)(n−i−2) ρ(i) over significant lags i ≥ 1.
    static func varianceFactor(ranks: [Double], lagAlpha: Double) -> Double {
        let n = ranks.count
        let acf = autocorrelation(ranks)
        guard let acf else { return 1 }
        let bound = StandardNormal.quantile(1 - lagAlpha / 2) / Double(n).squareRoot()
        var sum = 0.0
        for lag in 1..<n where !(acf[lag] <= bound && acf[lag] >= -bound) {
            sum += Double((n - lag) * (n - lag - 1) * (n - lag - 2)) * acf[lag]
        }
        let factor = 1 + (2 / Double(n * (n - 1) * (n - 2))) * sum
        return factor.isFinite && factor > 0 ? factor : 1
    }

    /// Sample autocorrelation at lags 0..<n (biased: every lag divided by n, as pymannkendall);
    /// nil when the series is constant.
    static func autocorrelation(_ values: [Double]) -> [Double]? {
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        let centred = values.map { $0 - mean }
        return centred.withUnsafeBufferPointer { y -> [Double]? in
            var covariance = [Double](repeating: 0, count: n)
            // Four lags per sweep, each in its own running sum: every sum adds the same products in
            // the same order as one lag at a time (so the values are identical to the bit), but the
            // four additions overlap instead of each waiting for the last.
            var lag = 0
            while lag + 3 < n {
                var sums = (0.0, 0.0, 0.0, 0.0)
                let shared = n - lag - 3
                for t in 0..<shared {
                    sums.0 += y[t] * y[t + lag]
                    sums.1 += y[t] * y[t + lag + 1]
                    sums.2 += y[t] * y[t + lag + 2]
                    sums.3 += y[t] * y[t + lag + 3]
                }
                for t in shared..<(n - lag) {
                    sums.0 += y[t] * y[t + lag]
                    if t < n - lag - 1 { sums.1 += y[t] * y[t + lag + 1] }
                    if t < n - lag - 2 { sums.2 += y[t] * y[t + lag + 2] }
                }
                covariance[lag] = sums.0 / Double(n)
                covariance[lag + 1] = sums.1 / Double(n)
                covariance[lag + 2] = sums.2 / Double(n)
                covariance[lag + 3] = sums.3 / Double(n)
                lag += 4
            }
            while lag < n {
                covariance[lag] = lagSum(y, lag) / Double(n)
                lag += 1
            }
            guard covariance[0] > 0 else { return nil }
            return covariance.map { $0 / covariance[0] }
        }
    }

    /// Σ y[t]·y[t + lag] in order of t: the reference every sweep of `autocorrelation` matches.
    static func lagSum(_ y: UnsafeBufferPointer<Double>, _ lag: Int) -> Double {
        var sum = 0.0
        for t in 0..<(y.count - lag) { sum += y[t] * y[t + lag] }
        return sum
    }
}
