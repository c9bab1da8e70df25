import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("soak analyze: one column of any CSV")
struct AnalysisSeriesTests {
    static func table(rows: Int, value: (Int) -> String) throws -> SampleTable {
        var lines = ["time,label,value"]
        for row in 0..<rows { lines.append("\(Double(row) * 0.5),r\(row),\(value(row))") }
        return try SampleTable(data: Data((lines.joined(separator: "\n") + "\n").utf8), source: "any.csv")
    }

    @Test("a growing column against a time column is a leak with its slope per x unit")
    func growing() throws {
        var generator = SplitMix64(seed: 3)
        let table = try Self.table(rows: 300) { "\(100 + Double($0) + Double(generator.next() % 20))" }
        let result = try SeriesAnalysis.analyze(table, y: "value", x: "time")
        #expect(result.verdict == .leak, "\(result.reason)")
        #expect(abs(try #require(result.fit?.slope) - 2) < 0.1)
        #expect(result.reason.contains("/time > 0/time"))
        #expect(result.n == 300 && result.warmupDropped == 0 && result.x == "time")
        #expect(result.mannKendall?.trend == .increasing && result.hamedRao?.trend == .increasing)
    }

    @Test("without an x column the row index is the axis; warm-up and empty fields are counted")
    func rowIndex() throws {
        var generator = SplitMix64(seed: 4)
        let table = try Self.table(rows: 120) { $0 % 10 == 9 ? "" : "\(Double(generator.next() % 1000))" }
        let result = try SeriesAnalysis.analyze(table, y: "value", options: .init(warmup: .points(8)))
        #expect(result.missingSkipped == 12 && result.warmupDropped == 8 && result.n == 100)
        #expect(result.points.first?.x == 8)
        #expect(result.verdict == .pass, "\(result.reason)")
        #expect(result.reason.contains("/row"))
    }

    @Test("long columns are bucketed to 2000 points; short ones are inconclusive")
    func bucketsAndShort() throws {
        let long = try Self.table(rows: 5000) { "\($0 % 7)" }
        let bucketed = try SeriesAnalysis.analyze(long, y: "value", x: "time")
        #expect(bucketed.n == 2000 && bucketed.points.count == 2000 && bucketed.bucketSize == 3)
        let short = try SeriesAnalysis.analyze(try Self.table(rows: 11) { "\($0)" }, y: "value")
        #expect(short.verdict == .inconclusive)
    }

    @Test("a text or absent column is an error that says so")
    func badColumns() throws {
        let table = try Self.table(rows: 3) { "\($0)" }
        let text = #expect(throws: SampleTableError.self) { try SeriesAnalysis.analyze(table, y: "label") }
        #expect(text?.message == "any.csv: column label is not numeric: line 2 has \"r0\"")
        #expect(throws: SampleTableError.self) { try SeriesAnalysis.analyze(table, y: "value", x: "when") }
    }

    @Test("--warmup reads a count of points or a percentage")
    func warmupText() {
        #expect(SeriesWarmup.parse("250") == .points(250))
        #expect(SeriesWarmup.parse("10%") == .fraction(0.1))
        #expect(SeriesWarmup.parse("-1") == nil)
        #expect(SeriesWarmup.parse("100%") == nil)
        #expect(SeriesWarmup.parse("ten") == nil)
        #expect(SeriesWarmup.fraction(0.1).dropped(of: 95) == 9)
        #expect(SeriesWarmup.points(500).dropped(of: 95) == 95)
    }

    @Test("the result encodes with the documented keys")
    func jsonKeys() throws {
        let result = try SeriesAnalysis.analyze(try Self.table(rows: 20) { "\($0 % 3)" }, y: "value")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == [
            "y", "verdict", "reason", "n", "bucket_size", "warmup_dropped", "missing_skipped", "fit", "window",
            "growth", "mann_kendall", "hamed_rao", "threshold_per_x", "threshold_floor", "alpha", "points",
        ])
    }
}
