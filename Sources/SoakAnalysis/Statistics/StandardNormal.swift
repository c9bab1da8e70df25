import FoundationEssentials
import Glibc

/// The standard normal distribution, to the precision the trend tests need (better than 1e-12
/// relative over the range they use).
///
/// The CDF goes through libm's `erfc` rather than `1 - erf`, so the upper tail keeps its precision:
/// a p-value of 1e-20 is computed as such instead of collapsing to zero.
enum StandardNormal {
    /// P(Z ≤ x).
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// P(Z > x), accurate in the far upper tail.
    static func survival(_ x: Double) -> Double {
        0.5 * erfc(x / 2.0.squareRoot())
    }

    /// P(|Z| ≥ |z|): the two-sided p-value of a z statistic.
    static func twoSidedP(_ z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }

    /// The x with `cdf(x) == p`, for 0 < p < 1 (±infinity at 0 and 1, NaN outside).
    ///
    /// Wichura's algorithm AS 241 (PPND16), relative error about 1e-16: the same precision as
    /// scipy's `ndtri`, so decisions at `|z| > quantile(1 - alpha/2)` agree with pymannkendall.
    static func quantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else {
            if p == 0 { return -.infinity }
            if p == 1 { return .infinity }
            return .nan
        }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * Self.polynomial(Self.centralNumerator, r) / Self.polynomial(Self.centralDenominator, r)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = Self.polynomial(Self.intermediateNumerator, r) / Self.polynomial(Self.intermediateDenominator, r)
        } else {
            r -= 5
            value = Self.polynomial(Self.tailNumerator, r) / Self.polynomial(Self.tailDenominator, r)
        }
        return q < 0 ? -value : value
    }

    /// Horner evaluation, coefficients from the highest degree down.
    private static func polynomial(_ coefficients: [Double], _ x: Double) -> Double {
        coefficients.reduce(0) { $0 * x + $1 }
    }

    private static let centralNumerator: [Double] = [
        2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457,
        13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608,
    ]
    private static let centralDenominator: [Double] = [
        5226.495278852545925, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867,
        5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1.0,
    ]
    private static let intermediateNumerator: [Double] = [
        7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
        3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734,
    ]
    private static let intermediateDenominator: [Double] = [
        1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459,
        0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1.0,
    ]
    private static let tailNumerator: [Double] = [
        2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386,
        0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699,
        6.6579046435011037772,
    ]
    private static let tailDenominator: [Double] = [
        2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5,
        7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769,
        1.0,
    ]
}
