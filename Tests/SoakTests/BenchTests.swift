import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// The pure parts of `soak bench`: statistics of repeats, suite names, report rendering, charts.
@Suite struct BenchTests {
    @Test func medianAndQuartilesInterpolateLikeNumPy() {
        let statistics = RepeatStatistics([4, 1, 3, 2])
        #expect(statistics.median == 2.5)
        #expect(statistics.min == 1)
        #expect(statistics.max == 4)
        #expect(statistics.q1 == 1.75)
        #expect(statistics.q3 == 3.25)
        #expect(statistics.iqr == 1.5)
        #expect(statistics.values == [4, 1, 3, 2], "values keep the order they were measured in")
    }

    @Test func oddCountsAndSingleValues() {
        #expect(RepeatStatistics([5, 1, 9]).median == 5)
        let one = RepeatStatistics([7])
        #expect(one.median == 7 && one.q1 == 7 && one.q3 == 7)
        #expect(one.text(BenchFormat.number) == "7.00", "one value prints without a range")
    }

    @Test func missingValuesAreDroppedAndEmptyIsNaN() {
        #expect(RepeatStatistics([.nan, 2, 4]).median == 3)
        let empty = RepeatStatistics([])
        #expect(empty.median.isNaN && empty.min.isNaN)
        #expect(empty.text(BenchFormat.number) == "n/a")
    }

    @Test func spreadTextShowsMinToMax() {
        #expect(RepeatStatistics([10, 12, 11]).text(BenchFormat.number) == "11.0 (10.0–12.0)")
    }

    @Test func numbersKeepAboutThreeSignificantDigits() {
        #expect(BenchFormat.number(1234.4) == "1234")
        #expect(BenchFormat.number(12.345) == "12.3")
        #expect(BenchFormat.number(1.2345) == "1.23")
        #expect(BenchFormat.number(0.012345) == "0.0123")
        #expect(BenchFormat.number(-2.5) == "-2.50")
        #expect(BenchFormat.fixed(0.05, decimals: 1) == "0.1")
        #expect(BenchFormat.fixed(9.999, decimals: 2) == "10.00")
        #expect(BenchFormat.number(.nan) == "n/a")
        #expect(BenchFormat.mebibytes(8 * 1_048_576) == "8.0 MiB")
    }

    @Test func suiteNamesDefaultToAllInCanonicalOrder() throws {
        #expect(try BenchSuiteName.parse([]) == BenchSuiteName.allCases)
        #expect(try BenchSuiteName.parse(["runtime", "sampling", "runtime"]) == [.sampling, .runtime])
    }

    @Test func unknownSuiteIsRefusedNamingTheKnownOnes() {
        do {
            _ = try BenchSuiteName.parse(["sampling", "speed"])
            Issue.record("an unknown suite was accepted")
        } catch {
            #expect(error.description.contains("\"speed\""))
            #expect(error.description.contains("sampling, acceleration, detection, analysis, runtime"))
        }
    }

    @Test func badSuiteOnTheCommandLineExitsTwo() {
        #expect(SoakCommandLine.main(["bench", "nope"]) == 2)
        #expect(SoakCommandLine.main(["bench", "--repeats", "1.5"]) == 2)
        #expect(SoakCommandLine.main(["bench", "--frobnicate"]) == 2)
        #expect(SoakCommandLine.main(["bench", "--help"]) == 0)
    }

    @Test func markdownPutsBarsFirstAndEscapesCells() {
        var suite = BenchSuiteResult(name: "analysis")
        suite.notes.append("method note")
        suite.tables.append(BenchTable(title: "Cost", columns: ["n", "s"], rows: [["10|0", "1.5"]]))
        suite.bars.append(BenchBar(target: "1M under 2 s", measured: "1.2 s", met: true, reason: "median"))
        suite.charts.append(BenchChart(file: "a.svg", title: "Time", xLabel: "n", yLabel: "s", series: []))
        let report = BenchReport(started: "20260101T000000Z", commandLine: ["soak", "bench"], soakVersion: "0.1.0",
                                 kernel: "Linux 6", cores: 2, repeats: 3, quick: false, suites: [suite])
        let text = BenchMarkdown.render(report)
        let bars = text.range(of: "## Quality bars")!, section = text.range(of: "## analysis")!
        #expect(bars.lowerBound < section.lowerBound)
        #expect(text.contains("| 1M under 2 s | 1.2 s | met | median |"))
        #expect(text.contains("| 10\\|0 | 1.5 |"))
        #expect(text.contains("- method note"))
        #expect(text.contains("![Time](a.svg)"))
        #expect(!text.contains("--quick"))
    }

    @Test func barStatusSaysMetMissedOrNotMeasured() {
        #expect(BenchBar(target: "", measured: "", met: true, reason: "").status == "met")
        #expect(BenchBar(target: "", measured: "", met: false, reason: "").status == "MISSED")
        #expect(BenchBar(target: "", measured: "", met: nil, reason: "").status == "not measured")
    }

    @Test func reportRoundTripsThroughJSON() throws {
        var suite = BenchSuiteResult(name: "runtime")
        let statistics = suite.measure("runtime.startup.1000.lazy_ms", unit: "ms", [3, 1, 2])
        #expect(statistics.median == 2)
        let report = BenchReport(started: "s", commandLine: [], soakVersion: "v", kernel: "k", cores: 2, repeats: 3,
                                 quick: true, suites: [suite])
        let decoded = try JSONDecoder().decode(BenchReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
        #expect(decoded.suites[0].measurements[0].statistics.median == 2)
    }

    @Test func chartDrawsEverySeriesWithLegendWhiskersAndEscapedText() {
        let chart = BenchChart(
            file: "c.svg", title: "Latency <ms> & more", xLabel: "artifacts", yLabel: "ms", logX: true, logY: true,
            series: [
                BenchChart.Series(name: "ghost", points: [
                    BenchChart.Point(x: 1, y: 2, low: 1.5, high: 3), BenchChart.Point(x: 300, y: 3)]),
                BenchChart.Series(name: "--no-ghost", points: [
                    BenchChart.Point(x: 1, y: 2), BenchChart.Point(x: 300, y: 400), BenchChart.Point(x: 0, y: 5)]),
            ])
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains(">ghost</text>") && svg.contains(">--no-ghost</text>"))
        #expect(svg.contains("Latency &lt;ms&gt; &amp; more"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4, "x = 0 cannot sit on a log axis")
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        for tick in ["1", "10", "100", "1000"] { #expect(svg.contains(">\(tick)</text>"), "tick \(tick)") }
    }

    @Test func linearAxisTicksAreRound() {
        let axis = BenchChart.Axis(values: [0, 97], log: false, from: 0, to: 100)
        #expect(axis.ticks == [0, 20, 40, 60, 80, 100])
        #expect(axis.map(0) == 0)
    }

    @Test func derivedProfilesKeepEveryFieldAndLoad() throws {
        let shipped = "{\"description\": \"a \\\"quoted\\\" one\", \"target\": {\"tenantd\": {\"tenants\": 1}}}"
        var profile = try ProfileJSON.parse(Array(shipped.utf8))
        profile.set("target.tenantd.leakBytes", .number("1024"))
        profile.set("target.tenantd.injectLeak", .string("global-cache"))
        profile.set("limits.maxAccelerate", .number("100000"))
        profile.set("target.tenantd.tenants", .number("2"))
        let text = profile.text()
        #expect(text == """
            {
              "description": "a \\"quoted\\" one",
              "target": {
                "tenantd": {
                  "tenants": 2,
                  "leakBytes": 1024,
                  "injectLeak": "global-cache"
                }
              },
              "limits": {
                "maxAccelerate": 100000
              }
            }
            """)
        #expect(try ProfileJSON.parse(Array(text.utf8)).text() == text, "the text parses back to itself")
    }

    @Test func shippedQuickProfileDerivesToALoadableLeakProfile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let shipped = try Data(contentsOf: URL(fileURLWithPath: root + "/Profiles/quick.json"))
        var profile = try ProfileJSON.parse(Array(shipped))
        profile.set("target.tenantd.injectLeak", .string("global-cache"))
        profile.set("target.tenantd.leakBytes", .number("256"))
        let path = NSTemporaryDirectory() + "bench-leak-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(profile.text().utf8).write(to: URL(fileURLWithPath: path))
        let loaded = try ProfileLoader.load(file: path)
        #expect(loaded.scenario.interval == .seconds(180))
    }

    @Test func analysisChildLineParses() {
        let fields = AnalysisChild.parse("read_s=0.5 analyze_s=1.25 hwm_bytes=1048576 rows=10\n")
        #expect(fields["read_s"] == 0.5 && fields["analyze_s"] == 1.25 && fields["hwm_bytes"] == 1_048_576)
    }

    @Test func syntheticSamplesReadBackWithEveryColumnAndTroughs() throws {
        let path = NSTemporaryDirectory() + "bench-synthetic-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticSamples.write(rows: 720, to: path)
        let table = try SampleTable(contentsOfFile: path)
        #expect(table.rowCount == 720)
        #expect(table.columnNames == SampleColumn.allCases.map(\.rawValue))
        #expect(table.kinds?.filter { $0 == .trough }.count == 4)
        #expect(table.column(.harnessRSSBytes)?.allSatisfy { $0 != nil } == true)
    }

    /// The one end-to-end check: the built `soak` runs the analysis suite at tiny sizes and writes
    /// its folder. Skipped when the binary is not beside the test runner.
    @Test func analysisSuiteWritesItsFolder() throws {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var parts = runner.split(separator: "/", omittingEmptySubsequences: false)
        while let last = parts.last, !last.hasSuffix(".xctest") { parts.removeLast() }
        guard !parts.isEmpty else { return }
        let soak = parts.dropLast().joined(separator: "/") + "/soak"
        guard access(soak, X_OK) == 0 else { return }
        let out = NSTemporaryDirectory() + "bench-smoke-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soak)
        process.arguments = ["bench", "analysis", "--quick", "--analysis-sizes", "5000", "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first)
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(out)/\(folder)")
        #expect(Set(files) == ["bench.md", "bench.json", "analysis-time.svg", "analysis-memory.svg"])
        // bench.json writes a figure that could not be measured as "nan", as BenchRunner does.
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let report = try decoder.decode(
            BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(folder)/bench.json")))
        #expect(report.suites.map(\.name) == ["analysis"])
        #expect(report.suites[0].measurements.contains { $0.name == "analysis.5000.total_s" })
    }
}
