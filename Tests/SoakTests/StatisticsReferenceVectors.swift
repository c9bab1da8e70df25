import Foundation

/// The reference vectors that `Fixtures/statistics/generate_reference.py` wrote with scipy and
/// pymannkendall, read from the source tree so the tests need no Python.
enum StatisticsReferenceVectors {
    struct TheilSenCase: Decodable {
        var name: String
        var x: [Double]
        var y: [Double]
        var slope: Double?
        var intercept: Double?
        var low_slope: Double?
        var high_slope: Double?
    }

    struct TestRecord: Decodable {
        var s: Double
        var var_s: Double?
        var z: Double
        var p: Double
        var p_exact: Double
        var tau: Double
        var trend: String
        var alpha: Double
        var slope: Double?
        var trend_at_0_01: String?

        enum CodingKeys: String, CodingKey {
            case s, var_s, z, p, p_exact, tau, trend, alpha, slope
            case trend_at_0_01 = "trend_at_0.01"
        }
    }

    struct MannKendallCase: Decodable {
        var name: String
        var values: [Double]
        var original: TestRecord
        var original_trend_at_0_01: String
        var hamed_rao_lag05: TestRecord?
        var hamed_rao_lag01: TestRecord?

        enum CodingKeys: String, CodingKey {
            case name, values, original, hamed_rao_lag05, hamed_rao_lag01
            case original_trend_at_0_01 = "original_trend_at_0.01"
        }
    }

    private struct File<Case: Decodable>: Decodable {
        var cases: [Case]
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/statistics")

    static func theilSen() throws -> [TheilSenCase] {
        let data = try Data(contentsOf: folder.appendingPathComponent("theilsen_vectors.json"))
        return try JSONDecoder().decode(File<TheilSenCase>.self, from: data).cases
    }

    static func mannKendall() throws -> [MannKendallCase] {
        let data = try Data(contentsOf: folder.appendingPathComponent("mannkendall_vectors.json"))
        return try JSONDecoder().decode(File<MannKendallCase>.self, from: data).cases
    }

    /// |actual − expected| / max(|expected|, tiny): tiny keeps exact zeros comparable.
    static func relativeError(_ actual: Double, _ expected: Double) -> Double {
        if actual == expected { return 0 }
        return abs(actual - expected) / max(abs(expected), 1e-300)
    }
}
