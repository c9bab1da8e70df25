/// How far from a probe slope s a pair's computed slope can be and still be ranked on the wrong
/// side of s by comparing y − s·x in floating point (see `PairwiseSlopes.invertedValues`).
///
/// Each key y − s·x is within u·(|y| + 2|s·x|) of its exact value (u = 2⁻⁵³, two roundings), so
/// comparing two keys misjudges only pairs whose exact slope is within 2u·(Y + 2|s|·X) / Δx of s,
/// Y and X the largest |y| and |x|, Δx the pair's x gap (at least the smallest gap between distinct
/// x). The computed slope is within 3u·|slope| of the exact one. The bound is that sum, four times
/// over. At s = 0 there is no rounding: y − 0·x is y, so the bound is 0.
///
/// Nil when a value is beyond ±1e100 or below 1e-100 in size (other than 0): there a slope could
/// overflow or underflow, and the bound would not hold.
struct SlopeRounding {
    private let largestY: Double
    private let largestX: Double
    private let smallestGap: Double

    /// `x` sorted ascending, `y` of the same length.
    init?(x: [Double], y: [Double]) {
        func usable(_ value: Double) -> Bool {
            let size = abs(value)
            return value == 0 || (size >= 1e-100 && size <= 1e100)
        }
        guard x.allSatisfy(usable), y.allSatisfy(usable) else { return nil }
        var gap = Double.infinity
        for i in x.indices.dropFirst() where x[i] > x[i - 1] { gap = min(gap, x[i] - x[i - 1]) }
        guard gap.isFinite, gap > 0 else { return nil }
        largestY = y.lazy.map(abs).max() ?? 0
        largestX = x.lazy.map(abs).max() ?? 0
        smallestGap = gap
    }

    /// The distance from `s` within which a pair may be ranked on the wrong side of it.
    func bound(at s: Double) -> Double {
        guard s != 0 else { return 0 }
        let u = Double.ulpOfOne / 2
        let keys = 2 * u * (largestY + 2 * abs(s) * largestX) / smallestGap
        return 4 * (keys + 3 * u * (abs(s) + keys))
    }
}
