import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("Mann–Kendall and Hamed–Rao against pymannkendall")
struct StatisticsMannKendallTests {
    static let tolerance = 1e-6

    /// Compares one computed test with one pymannkendall record; returns the worst relative error.
    static func compare(_ name: String, _ actual: MannKendallTest, _ expected: StatisticsReferenceVectors.TestRecord,
                        expectedTrend: String) -> Double {
        var fields: [(String, Double, Double)] = [
            ("s", actual.s, expected.s), ("z", actual.z, expected.z), ("tau", actual.tau, expected.tau),
            // p_exact is pymannkendall's p without the cancellation of 1 − cdf (see the generator).
            ("p", actual.p, expected.p_exact),
        ]
        if let variance = expected.var_s { fields.append(("var_s", actual.varianceS, variance)) }
        var worst = 0.0
        for (field, value, reference) in fields {
            let error = StatisticsReferenceVectors.relativeError(value, reference)
            worst = max(worst, error)
            #expect(error <= tolerance, "\(name) \(actual.method).\(field): \(value) vs \(reference)")
        }
        #expect(actual.trend.rawValue == expectedTrend, "\(name) \(actual.method).trend")
        return worst
    }

    @Test("original test, and Hamed–Rao with lags judged at 5% and at 1%, match to 1e-6 relative")
    func matchesPymannkendall() throws {
        var worst = (original: 0.0, hamedRao: 0.0)
        for reference in try StatisticsReferenceVectors.mannKendall() {
            let values = reference.values
            let original = try #require(MannKendallTest.original(values, alpha: reference.original.alpha))
            worst.original = max(worst.original,
                                 Self.compare(reference.name, original, reference.original,
                                              expectedTrend: reference.original.trend))
            #expect(MannKendallTest.original(values, alpha: 0.01)?.trend.rawValue == reference.original_trend_at_0_01)

            guard let lag05 = reference.hamed_rao_lag05, let lag01 = reference.hamed_rao_lag01 else {
                #expect(MannKendallTest.hamedRao(values, alpha: 0.05) == nil, "\(reference.name): n < 3")
                continue
            }
            #expect(MannKendallTest.senSlopeOverIndex(values) == lag05.slope, "\(reference.name): Sen slope")
            // pymannkendall returns a NaN variance for a constant series (no residual variation);
            // we keep the original variance there (factor 1), which is checked below.
            if lag05.var_s == nil {
                let corrected = try #require(MannKendallTest.hamedRao(values, alpha: 0.05))
                #expect(corrected.varianceFactor == 1 && corrected.varianceS == original.varianceS)
                continue
            }
            let ours = try #require(MannKendallTest.hamedRao(values, alpha: 0.01, lagAlpha: 0.05))
            worst.hamedRao = max(worst.hamedRao,
                                 Self.compare(reference.name, ours, lag05, expectedTrend: lag05.trend_at_0_01 ?? "?"))
            let strict = try #require(MannKendallTest.hamedRao(values, alpha: 0.01, lagAlpha: 0.01))
            worst.hamedRao = max(worst.hamedRao,
                                 Self.compare(reference.name, strict, lag01, expectedTrend: lag01.trend))
        }
        print("Mann–Kendall max relative error vs pymannkendall: original \(worst.original), "
              + "Hamed–Rao \(worst.hamedRao)")
    }

    @Test("an AR(1) series without trend: the original test is fooled, Hamed–Rao is not")
    func autocorrelatedSeries() throws {
        let reference = try #require(try StatisticsReferenceVectors.mannKendall().first { $0.name.hasPrefix("ar1_") })
        #expect(MannKendallTest.original(reference.values, alpha: 0.01)?.trend == .increasing)
        let corrected = try #require(MannKendallTest.hamedRao(reference.values, alpha: 0.01))
        #expect(corrected.trend == .noTrend)
        #expect(corrected.varianceFactor > 3)
    }

    @Test("an exactly linear series keeps its trend under Hamed–Rao (pymannkendall gives NaN)")
    func exactlyLinear() throws {
        let values = (0..<40).map { 1024.0 * Double($0) }
        let test = try #require(MannKendallTest.hamedRao(values, alpha: 0.01))
        #expect(test.trend == .increasing)
        #expect(test.varianceFactor == 1)
    }

    @Test("normal quantile and tails agree with known values")
    func normal() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(StandardNormal.quantile(0.005) + 2.5758293035489004) < 1e-14)
        #expect(abs(StandardNormal.quantile(1e-10) + 6.361340902404056) < 1e-12)
        #expect(abs(StandardNormal.cdf(1.959963984540054) - 0.975) < 1e-15)
        #expect(abs(StandardNormal.twoSidedP(10) / 1.523970604832105e-23 - 1) < 1e-9)
        for p in stride(from: 0.001, to: 1, by: 0.0137) {
            #expect(abs(StandardNormal.cdf(StandardNormal.quantile(p)) - p) < 1e-14)
        }
    }

    @Test("JSON keys are the documented ones")
    func jsonKeys() throws {
        let test = try #require(MannKendallTest.original([1, 3, 2, 4], alpha: 0.05))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(test)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys)
                == ["method", "s", "var_s", "variance_factor", "z", "p", "tau", "alpha", "trend"])
        #expect(object?["trend"] as? String == "no trend")
    }
}
