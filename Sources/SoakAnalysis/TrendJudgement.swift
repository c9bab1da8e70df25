import FoundationEssentials
import Glibc
import SoakUnits

/// The statistics and the three-part leak rule applied to one series, shared by the run analysis
/// and `soak analyze`.
///
/// A leak needs all three: Mann–Kendall with Hamed–Rao's correction finds an increasing trend at
/// alpha (is it growing at all, allowing for autocorrelation?), the slope's lower confidence
/// bound exceeds the per-cycle threshold (is it growing fast enough to matter, even at the
/// optimistic end?), and the fitted growth over the window exceeds the floor (has it grown by
/// an amount worth a failed build?). Each alone misfires on real memory series.
struct TrendJudgement {
    var fit: TheilSenFit?
    var original: MannKendallTest?
    var hamedRao: MannKendallTest?
    /// Span of the points on the x axis (x units).
    var window: Double
    /// slope × window, in the series' unit; nil without a fit.
    var growth: Double?
    /// x units per cycle: 1 when x counts cycles, the interval in seconds when x is time.
    var xPerCycle: Double
    var threshold: Threshold
    var verdict: LeakVerdict
    /// Set when the verdict is inconclusive: why.
    var inconclusiveReason: String?

    /// The slope's confidence bounds and estimate, per cycle.
    var lowPerCycle: Double? { fit?.lowSlope.map { $0 * xPerCycle } }
    var highPerCycle: Double? { fit?.highSlope.map { $0 * xPerCycle } }
    var slopePerCycle: Double? { fit.map { $0.slope * xPerCycle } }

    var trendIncreasing: Bool { hamedRao?.trend == .increasing }
    var slopeExceeds: Bool { (lowPerCycle ?? -.infinity) > threshold.perCycle }
    var growthExceeds: Bool { (growth ?? -.infinity) > threshold.floor }

    init(points: [SeriesPoint], xPerCycle: Double, threshold: Threshold, alpha: Double, lagAlpha: Double,
         confidence: Double, minimumPoints: Int) {
        let x = points.map(\.x)
        let y = points.map(\.y)
        self.xPerCycle = xPerCycle
        self.threshold = threshold
        fit = TheilSenFit.fit(x: x, y: y, confidence: confidence)
        let original = MannKendallTest.original(y, alpha: alpha)
        self.original = original
        // Troughs of consecutive cycles sit at x = index + constant: the same pairwise slopes as
        // Sen's slope over the index, so the fit's median serves Hamed–Rao's detrending as is.
        let unitSteps = x.indices.allSatisfy { x[$0] - x[0] == Double($0) }
        let senSlope = unitSteps ? fit?.slope : nil
        hamedRao = MannKendallTest.hamedRao(
            y, alpha: alpha, lagAlpha: lagAlpha, original: original, senSlope: senSlope
        ).map { corrected in
            // The correction exists to stop autocorrelation faking a trend, so it may only make
            // the test stricter. A factor below 1 comes from negatively correlated residuals (a
            // sawtooth's) or from chance lags among the n−1 tested, and would make a flat series
            // look significant; those keep the original variance.
            guard corrected.varianceFactor < 1, let original else { return corrected }
            return MannKendallTest(method: .hamedRao, s: original.s, variance: original.varianceS, factor: 1,
                                   n: y.count, alpha: alpha)
        }
        let window = (x.last ?? 0) - (x.first ?? 0)
        self.window = window
        growth = fit.map { $0.slope * window }
        verdict = .inconclusive
        if points.count < minimumPoints {
            inconclusiveReason = "only \(points.count) points after warm-up, \(minimumPoints) needed"
        } else if fit?.lowSlope == nil || hamedRao == nil {
            inconclusiveReason = "no slope interval: the points share one x value or are all tied"
        } else {
            verdict = trendIncreasing && slopeExceeds && growthExceeds ? .leak : .pass
        }
    }

    /// "trend increasing (Hamed–Rao p=1.2e-5), slope ≥ 812 B/cycle > 64 B/cycle, growth 3.1 MiB > 64 KiB"
    /// for a decided verdict; the inconclusive reason otherwise. `amount` formats a value in the
    /// series' unit, `perCycle` names the per-cycle unit ("cycle", or the x column).
    func reason(amount: (Double) -> String, perCycle: String) -> String {
        if let inconclusiveReason { return inconclusiveReason }
        guard let hamedRao, let low = lowPerCycle, let growth else { return "no fit" }
        let trend = hamedRao.trend == .noTrend ? "no trend" : "trend \(hamedRao.trend.rawValue)"
        return "\(trend) (Hamed–Rao p=\(Self.pValueText(hamedRao.p))), "
            + "slope ≥ \(amount(low))/\(perCycle) \(slopeExceeds ? ">" : "≤") "
            + "\(amount(threshold.perCycle))/\(perCycle), "
            + "growth \(amount(growth)) \(growthExceeds ? ">" : "≤") \(amount(threshold.floor))"
    }

    /// Two significant digits, in exponent form below 0.001: `0.31`, `0.0042`, `1.2e-5`.
    static func pValueText(_ p: Double) -> String {
        if p >= 0.001 || p <= 0 { return DecimalText.format(p, significant: 2) }
        var exponent = Int(log10(p).rounded(.down))
        var mantissa = DecimalText.format(p / pow(10, Double(exponent)), decimals: 1)
        // log10 can land a hair below an exact power of ten, and rounding can reach 10.0.
        if mantissa == "10" {
            exponent += 1
            mantissa = "1"
        }
        return "\(mantissa)e\(exponent)"
    }
}
