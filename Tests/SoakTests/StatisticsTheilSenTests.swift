import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("Theil–Sen against scipy.stats.theilslopes")
struct StatisticsTheilSenTests {
    static let tolerance = 1e-6

    @Test("every reference case matches to 1e-6 relative")
    func matchesScipy() throws {
        var worst = 0.0
        for reference in try StatisticsReferenceVectors.theilSen() {
            let fit = TheilSenFit.fit(x: reference.x, y: reference.y)
            guard let expectedSlope = reference.slope else {
                #expect(fit == nil, "\(reference.name): scipy had no slope")
                continue
            }
            let fit1 = try #require(fit, "\(reference.name): no fit")
            let pairs: [(String, Double?, Double?)] = [
                ("slope", fit1.slope, expectedSlope),
                ("intercept", fit1.intercept, reference.intercept),
                ("low_slope", fit1.lowSlope, reference.low_slope),
                ("high_slope", fit1.highSlope, reference.high_slope),
            ]
            for (field, actual, expected) in pairs {
                let actualValue = try #require(actual, "\(reference.name).\(field) missing")
                let expectedValue = try #require(expected, "\(reference.name).\(field) missing in reference")
                let error = StatisticsReferenceVectors.relativeError(actualValue, expectedValue)
                worst = max(worst, error)
                #expect(error <= Self.tolerance, "\(reference.name).\(field): \(actualValue) vs \(expectedValue)")
            }
        }
        print("Theil–Sen max relative error vs scipy: \(worst)")
    }

    @Test("a known line: slope, intercept, and an interval that contains the slope")
    func exactLine() throws {
        let x = (0..<50).map(Double.init)
        let y = x.map { 3 * $0 + 7 }
        let fit = try #require(TheilSenFit.fit(x: x, y: y))
        #expect(fit.slope == 3)
        #expect(fit.intercept == 7)
        #expect(fit.lowSlope == 3 && fit.highSlope == 3)
        #expect(fit.pairs == 50 * 49 / 2)
    }

    @Test("fewer than two points or a single x value gives no fit")
    func degenerate() {
        #expect(TheilSenFit.fit(x: [1], y: [2]) == nil)
        #expect(TheilSenFit.fit(x: [4, 4, 4], y: [1, 2, 3]) == nil)
    }

    @Test("JSON keys are the documented ones")
    func jsonKeys() throws {
        let fit = TheilSenFit(slope: 1, intercept: 2, lowSlope: 0.5, highSlope: 1.5, confidence: 0.95, pairs: 3)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(fit)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == ["slope", "intercept", "low_slope", "high_slope", "confidence", "pairs"])
    }
}

@Suite("Order statistics of pairwise slopes")
struct StatisticsSelectionTests {
    /// Every slope, sorted: the obvious answer the bounded-memory selection must reproduce.
    static func sortedSlopes(_ x: [Double], _ y: [Double]) -> [Double] {
        var slopes: [Double] = []
        for i in x.indices {
            for j in x.indices where x[j] > x[i] { slopes.append((y[j] - y[i]) / (x[j] - x[i])) }
        }
        return slopes.sorted()
    }

    @Test("the sampled bracket agrees with a full sort, with and without heavy ties", arguments: [0, 1, 2])
    func bracketMatchesSort(variant: Int) {
        var generator = SplitMix64(seed: UInt64(42 + variant))
        let n = 900  // 404,550 pairs: above the materialise limit, so the bracket path runs
        let x = (0..<n).map { variant == 2 ? Double($0 / 3) : Double($0) }
        let y = (0..<n).map { i -> Double in
            let noise = Double(generator.next() % 100_000)
            // Variant 1 quantises to pages: most slopes are exact ties, some are zero.
            return variant == 1 ? 4096 * ((Double(i) * 5 + noise) / 4096).rounded() : Double(i) * 7 + noise
        }
        let slopes = PairwiseSlopes(x: x, y: y)
        #expect(slopes.count > PairwiseSlopes.materialiseLimit)
        let sorted = Self.sortedSlopes(x, y)
        #expect(slopes.count == sorted.count)
        let ranks = [0, 1000, slopes.count / 2 - 1, slopes.count / 2, slopes.count - 7, slopes.count - 1]
        #expect(slopes.values(atRanks: ranks) == ranks.map { sorted[$0] })
        let middle = [slopes.count / 2 - 300, slopes.count / 2, slopes.count / 2 + 300]
        #expect(slopes.bracketedValues(atRanks: middle) == middle.map { sorted[$0] })
    }

    @Test("quickselect returns the sorted order's values at any ranks")
    func quickselect() {
        var generator = SplitMix64(seed: 7)
        let values = (0..<5000).map { _ in Double(generator.next() % 300) }
        let sorted = values.sorted()
        var scratch = values
        let ranks = [4999, 0, 2500, 2501, 17]
        #expect(OrderStatistics.select(ranks, in: &scratch) == ranks.map { sorted[$0] })
        var odd = [5.0, 1, 4]
        #expect(OrderStatistics.median(&odd) == 4)
        var even = [5.0, 1, 4, 2]
        #expect(OrderStatistics.median(&even) == 3)
    }
}
