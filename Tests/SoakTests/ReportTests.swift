import Foundation
import FoundationXML
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// report.html, junit.xml and summary.md from judged run folders of every kind.
@Suite struct ReportTests {
    /// A judged synthetic run; `leak` makes the heap grow 4 KiB per cycle.
    func judgement(
        status: RunManifest.Status = .completed, leak: Bool = false, badCycle: Int? = nil, cycles: Int = 200,
        periodicPerCycle: Int = 6
    ) throws -> RunJudge.Judgement {
        var run = AnalysisSyntheticRun()
        run.cycles = cycles
        run.periodicPerCycle = periodicPerCycle
        if leak { run.heap = { 10 * 1_048_576 + Double($0) * 4096 } }
        return try RunJudge.judge(RunJudgeTests().folder(status: status, run: run, badCycle: badCycle))
    }

    func parse(_ xml: String) throws -> XMLDocument { try XMLDocument(xmlString: xml, options: []) }

    func failures(_ document: XMLDocument) throws -> [XMLElement] {
        try document.nodes(forXPath: "//testcase/failure").compactMap { $0 as? XMLElement }
    }

    // MARK: junit.xml

    @Test func junitIsOneWellFormedSuiteWhoseFailuresAreTheLeaks() throws {
        let judgement = try judgement(leak: true)
        let summary = judgement.summary
        let document = try parse(JUnitReport.render(summary))
        let suites = try document.nodes(forXPath: "//testsuite").compactMap { $0 as? XMLElement }
        #expect(suites.count == 1)
        let suite = try #require(suites.first)
        #expect(suite.attribute(forName: "name")?.stringValue == "soak.synthetic")
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        // One case per analysed metric, plus integrity and crash.
        #expect(cases.count == summary.analysis.metrics.count + 2)
        #expect(suite.attribute(forName: "tests")?.stringValue == "\(cases.count)")

        let judged = summary.analysis.metrics.filter { $0.metric != .harnessRSS }
        let expected = judged.filter { $0.verdict != .pass }.count
        let found = try failures(document)
        #expect(expected >= 1)
        #expect(found.count == expected)
        #expect(suite.attribute(forName: "failures")?.stringValue == "\(expected)")
        let heap = try #require(cases.first { $0.attribute(forName: "name")?.stringValue == "heap_in_use" })
        #expect(heap.attribute(forName: "classname")?.stringValue == "soak.synthetic.metrics")
        let failure = try #require(heap.elements(forName: "failure").first)
        #expect(failure.attribute(forName: "type")?.stringValue == "leak")
        #expect(failure.attribute(forName: "message")?.stringValue?.contains("heap_in_use leaks") == true)
    }

    @Test func cleanRunHasNoFailure() throws {
        let summary = try judgement().summary
        #expect(summary.verdict == .pass, "\(summary.verdictReason)")
        let document = try parse(JUnitReport.render(summary))
        #expect(try failures(document).isEmpty)
        #expect(try document.nodes(forXPath: "//testsuite/@failures").first?.stringValue == "0")
    }

    @Test func integrityAndCrashAreTheirOwnCases() throws {
        func failureTypes(_ summary: RunSummary) throws -> [String: String] {
            var types: [String: String] = [:]
            for failure in try failures(parse(JUnitReport.render(summary))) {
                let name = (failure.parent as? XMLElement)?.attribute(forName: "name")?.stringValue ?? "?"
                types[name] = failure.attribute(forName: "type")?.stringValue
            }
            return types
        }
        let invalid = try judgement(badCycle: 57).summary
        #expect(invalid.verdict == .invalid)
        #expect(try failureTypes(invalid) == ["integrity": "integrity"])

        let crashed = try judgement(status: .crashed).summary
        #expect(try failureTypes(crashed) == ["crash": "crashed"])

        let tooShort = try judgement(cycles: 6, periodicPerCycle: 1).summary
        #expect(tooShort.verdict == .inconclusive)
        let types = try failureTypes(tooShort)
        #expect(!types.isEmpty)
        #expect(types.values.allSatisfy { $0 == "inconclusive" }, "\(types)")
    }

    @Test func junitEscapesWhatARunCanSay() throws {
        var summary = try judgement(status: .crashed).summary
        let nasty = "tenantd said <boom> & \"quit\" 'now'\u{1}\nsecond line ]]>"
        summary.verdictReason = nasty
        summary.profile = "a<b&c"
        let xml = JUnitReport.render(summary)
        let document = try parse(xml)
        let suite = try #require(try document.nodes(forXPath: "//testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "name")?.stringValue == "soak.a<b&c")
        let crash = try #require(try failures(document).first)
        // The control character is replaced (XML cannot hold it); the line break survives the attribute.
        #expect(crash.attribute(forName: "message")?.stringValue
            == "tenantd said <boom> & \"quit\" 'now'\u{FFFD}\nsecond line ]]>")
        #expect(!xml.contains("<boom>"))
    }

    // MARK: summary.md

    @Test func markdownHasTheVerdictAndARowPerMetric() throws {
        let summary = try judgement(leak: true).summary
        let markdown = MarkdownSummary.render(summary)
        #expect(markdown.hasPrefix("### soak synthetic: **LEAK**"))
        #expect(markdown.contains("heap_in_use leaks"))
        for metric in summary.analysis.metrics {
            #expect(markdown.contains("| \(metric.metric.rawValue)"), "no row for \(metric.metric.rawValue)")
        }
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
        // Header, separator, one row per metric: nothing in a cell broke the table.
        #expect(rows.count == summary.analysis.metrics.count + 2)
        #expect(rows.allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false).count == rows[0]
            .split(separator: "|", omittingEmptySubsequences: false).count })
        #expect(markdown.contains("**LEAK**"))
        #expect(markdown.contains("integrity"))
        #expect(markdown.contains("cold p50"))
        #expect(markdown.contains("**clock** scaled at 7200x"), "the clock, as the verdict line names it")
        #expect(markdown.contains("MiB"))
    }

    @Test func markdownKeepsRunTextLiteral() throws {
        var summary = try judgement().summary
        summary.verdictReason = "a | b <script> *not bold*\nnext"
        let markdown = MarkdownSummary.render(summary)
        #expect(markdown.contains("a | b &lt;script> \\*not bold\\* next"))
        #expect(!markdown.contains("<script>"))
    }

    @Test func everyReportSaysWhatTheBackgroundLoadDid() throws {
        let judgement = try judgement()
        var summary = judgement.summary
        var load = LoadRecord(form: "requests")
        load.connections = 4
        load.perSecond = 100
        load.totals = LoadTotals(sent: 301, failed: 2, firstFailure: "GET /x: status 503", latencyP50Milliseconds: 0.5,
                                 latencyP99Milliseconds: 2.92)
        summary.load = load
        let expected = "4 connection(s) at 100/s: 301 sent, 2 failed (first: GET /x: status 503), "
            + "latency p50 0.5 ms, p99 2.92 ms"
        #expect(MarkdownSummary.render(summary).contains("**load** " + expected))
        var loaded = judgement
        loaded.summary = summary
        #expect(HTMLReport.render(loaded).contains(expected))
        // A run without a load says nothing about one.
        #expect(!MarkdownSummary.render(judgement.summary).contains("**load**"))
    }

    // MARK: report.html

    @Test func htmlIsSelfContainedWithOneSVGPerChart() throws {
        let judgement = try judgement()
        let html = HTMLReport.render(judgement)
        for forbidden in ["http://", "https://", "<script", "url(", "@import", " src=", " href="] {
            #expect(!html.contains(forbidden), "report.html contains \(forbidden)")
        }
        let charts = HTMLCharts.charts(judgement)
        let drawn = charts.filter { $0.svg != nil }
        #expect(html.components(separatedBy: "<svg").count - 1 == drawn.count)
        // The synthetic run has RSS, heap and descriptors but no PSS, instances or threads.
        #expect(drawn.map(\.title) == ["Memory over simulated time: RSS", "Heap in use", "Descriptors and threads",
                                       "Request latency, cold against warm"])
        #expect(html.contains("Not recorded in this run."))
        #expect(html.contains("<span class=\"badge\">PASS</span>"))
    }

    @Test func leakRunNamesTheLeakingMetric() throws {
        let html = HTMLReport.render(try judgement(leak: true))
        #expect(html.contains("<header class=\"verdict-leak\">"))
        #expect(html.contains("<tr class=\"metric-row metric-leak\"><th scope=\"row\">heap_in_use</th>"))
        #expect(html.contains("heap in use fit 4 KiB/cycle: LEAK"))
    }

    @Test func chartsStaySmallForALongRun() throws {
        var run = AnalysisSyntheticRun()
        run.cycles = 10_000
        run.periodicPerCycle = 9
        let table = try run.table()
        #expect(table.rowCount == 100_000)
        // A short run's summary with the long run's samples: the charts alone are under test.
        let small = try judgement()
        let judgement = RunJudge.Judgement(summary: small.summary, table: table, requests: small.requests, profile: nil)
        let html = HTMLReport.render(judgement)
        let polylines = html.components(separatedBy: "points=\"").dropFirst()
        #expect(!polylines.isEmpty)
        for polyline in polylines {
            let points = polyline.prefix { $0 != "\"" }.split(separator: " ").count
            #expect(points <= ChartSampling.maxPoints)
        }
        for path in html.components(separatedBy: " d=\"").dropFirst() {
            #expect(path.prefix { $0 != "\"" }.components(separatedBy: "h0").count - 1 <= ChartSampling.maxPoints)
        }
        #expect(html.utf8.count < 600_000, "report.html is \(html.utf8.count) bytes")
    }

    @Test func missingValuesAreGapsNotZeros() throws {
        var lines = ["sim_seconds,kind,cycle,rss_bytes"]
        for row in 0..<300 {
            let value = (100..<140).contains(row) ? "" : "\(50 * 1_048_576 + row * 1024)"
            lines.append("\(row * 60),periodic,\(row / 3),\(value)")
        }
        let table = try SampleTable(data: Data((lines.joined(separator: "\n") + "\n").utf8))
        let samples = try #require(ReportSeries.samples(table, .rssBytes))
        #expect(ChartSampling.segments(samples.periodic).count == 2)
        #expect(!samples.periodic.contains { $0.y == 0 })
        let svg = try #require(SVGChart(y: .bytes, series: [
            SVGChart.Series(label: "RSS", color: "#00f", mark: .line(width: 1), points: samples.periodic),
        ], title: "rss").render())
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        // Reduced, a long hole is still a hole.
        let long = (0..<50_000).map { ChartPoint(x: Double($0), y: (20_000..<30_000).contains($0) ? .nan : 1) }
        let reduced = ChartSampling.reduce(long)
        #expect(reduced.count <= ChartSampling.maxPoints)
        #expect(ChartSampling.segments(reduced).count == 2)
    }

    @Test func axesReadInTheirUnits() {
        let bytes = ChartAxis.bytes.scale(low: 60 * 1_048_576, high: 62 * 1_048_576)
        let labels = bytes.ticks.map(bytes.label)
        #expect(Set(labels).count == labels.count, "\(labels)")
        #expect(labels.allSatisfy { $0.hasSuffix(" MiB") }, "\(labels)")
        #expect(bytes.lower > 0 && bytes.lower <= 60 * 1_048_576)

        let time = ChartAxis.simulatedTime.scale(low: 1, high: 2 * 86_400)
        #expect(time.lower == 0)
        #expect(time.ticks.map(time.label).contains("1d"))
        #expect(time.ticks.count >= 4 && time.ticks.count <= 9)

        // A flat count sits mid-chart.
        let flat = ChartAxis.count.scale(low: 12, high: 12)
        #expect(flat.fraction(12) > 0.2 && flat.fraction(12) < 0.8)

        let latency = ChartAxis.milliseconds.scale(low: 0.3, high: 15)
        #expect(latency.isLogarithmic)
        #expect(latency.ticks.map(latency.label).contains("1ms"))
        #expect(latency.ticks.map(latency.label).contains("500µs"))
    }

    @Test func runReportsWritesEveryFile() throws {
        let judgement = try judgement(leak: true)
        let folder = RunFolder(path: judgement.summary.runFolder)
        let written = try RunReports.write(judgement, to: folder)
        #expect(written == [folder.summaryJSON, folder.reportHTML, folder.junitXML, folder.summaryMarkdown])
        for path in written {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(size > 0, "\(path) is empty")
        }
    }
}
