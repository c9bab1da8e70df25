import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakRun

/// The exposition parser against the pages real client libraries write, and against every
/// tricky or broken input we could think of: it must read what is readable and never crash.
@Suite struct PrometheusParserTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus")

    static func page(_ name: String) throws -> PrometheusExposition {
        PrometheusExposition(parsing: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
    }

    static func value(_ selector: String, in page: PrometheusExposition) throws -> PrometheusSelection {
        try PrometheusSeriesSelector(parsing: selector).select(in: page)
    }

    @Test func readsEveryClientLibrarysPageWithoutProblems() throws {
        for name in ["node-prom-client.txt", "jvm-micrometer.txt", "go-client.txt", "python-client.txt",
                     "openmetrics.txt"] {
            let page = try Self.page(name)
            #expect(page.problems.isEmpty, "\(name): \(page.problems)")
            #expect(!page.samples.isEmpty, "\(name)")
        }
    }

    @Test func picksTheHeapSeriesPeopleAskFor() throws {
        let node = try Self.page("node-prom-client.txt")
        #expect(try Self.value("nodejs_heap_size_used_bytes", in: node) == .value(4_557_544, series: 1))
        #expect(try Self.value("nodejs_heap_space_size_used_bytes{space=\"old\"}", in: node)
            == .value(3_013_576, series: 1))
        let jvm = try Self.page("jvm-micrometer.txt")
        // Every pool with area="heap", summed: survivor + old + eden.
        #expect(try Self.value("jvm_memory_used_bytes{area=\"heap\"}", in: jvm)
            == .value(1_048_576 + 21_495_808 + 12_582_912, series: 3))
        #expect(try Self.value("jvm_memory_used_bytes{id=\"CodeHeap 'non-nmethods'\"}", in: jvm)
            == .value(1_316_480, series: 1))
        #expect(try Self.value("jvm_memory_used_bytes{area=\"heap\",id=~\"G1 (Old|Eden).*\"}", in: jvm)
            == .value(21_495_808 + 12_582_912, series: 2))
        #expect(try Self.value("jvm_memory_used_bytes{area!=\"heap\",id!~\"CodeHeap.*\"}", in: jvm)
            == .value(38_512_312 + 5_045_976, series: 2))
        let go = try Self.page("go-client.txt")
        #expect(try Self.value("go_memstats_heap_inuse_bytes", in: go) == .value(5_382_144, series: 1))
        #expect(try Self.value("go_gc_duration_seconds_count", in: go) == .value(61, series: 1))
        let python = try Self.page("python-client.txt")
        #expect(try Self.value("process_resident_memory_bytes", in: python) == .value(21_282_816, series: 1))
    }

    @Test func histogramsAndSummariesNameTheirSeries() throws {
        let python = try Self.page("python-client.txt")
        #expect(python.family(ofSample: "request_latency_seconds_bucket")?.name == "request_latency_seconds")
        #expect(python.family(ofSample: "request_latency_seconds_created")?.family.type == .gauge)
        #expect(try Self.value("request_latency_seconds_sum", in: python) == .value(0.0123, series: 1))
        #expect(try Self.value("request_latency_seconds_bucket{le=\"+Inf\"}", in: python) == .value(3, series: 1))
        guard case .absent(let bare) = try Self.value("request_latency_seconds", in: python) else {
            Issue.record("a histogram's bare name has no value")
            return
        }
        #expect(bare.contains("histogram") && bare.contains("request_latency_seconds_sum"))
        guard case .absent(let buckets) = try Self.value("request_latency_seconds_bucket", in: python) else {
            Issue.record("buckets must not be summed")
            return
        }
        #expect(buckets.contains("le=\"+Inf\""), "\(buckets)")
        let go = try Self.page("go-client.txt")
        guard case .absent(let quantiles) = try Self.value("go_gc_duration_seconds", in: go) else {
            Issue.record("quantiles must not be summed")
            return
        }
        #expect(quantiles.contains("quantile"))
        #expect(try Self.value("go_gc_duration_seconds{quantile=\"0.5\"}", in: go) == .value(0.000055, series: 1))
        // Counters summed over their label values are a meaningful total.
        #expect(try Self.value("promhttp_metric_handler_requests_total", in: go) == .value(3, series: 3))
    }

    @Test func openMetricsTimestampsUnitsExemplarsAndEOF() throws {
        let page = try Self.page("openmetrics.txt")
        #expect(page.sawEOF)
        #expect(page.families["acme_http_requests"] == PrometheusFamily(
            type: .counter, help: "Requests served.", unit: "requests"))
        #expect(page.samples.first == PrometheusSample(
            name: "acme_http_requests_total", labels: [PrometheusLabel("path", "/a")], value: 17,
            timestamp: 1_700_000_000.25))
        guard case .absent(let reason) = try Self.value("acme_http_requests", in: page) else {
            Issue.record("an OpenMetrics counter's bare name has no sample")
            return
        }
        #expect(reason.contains("acme_http_requests_total"))
        let after = PrometheusExposition(parsing: "a 1\n# EOF\nb 2\n")
        #expect(after.samples.map(\.name) == ["a"])
        #expect(after.problems.map(\.line) == [3])
    }

    @Test func labelEscapesAndBlanks() {
        let text = #"""
            path_bytes{path="C:\\dir\\file",msg="say \"hi\"\nbye",odd="\q"} 1
              	spaced { a = "1" , b="2", }	2   
            empty{} 3
            crlf{x="y"} 4
            """# + "\r\n" + "# TYPE weird_total counter\r\n"
        let page = PrometheusExposition(parsing: text)
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.samples[0].labels == [
            PrometheusLabel("path", #"C:\dir\file"#), PrometheusLabel("msg", "say \"hi\"\nbye"),
            PrometheusLabel("odd", #"\q"#),
        ])
        #expect(page.samples[1] == PrometheusSample(
            name: "spaced", labels: [PrometheusLabel("a", "1"), PrometheusLabel("b", "2")], value: 2))
        #expect(page.samples[2] == PrometheusSample(name: "empty", value: 3))
        #expect(page.samples[3] == PrometheusSample(name: "crlf", labels: [PrometheusLabel("x", "y")], value: 4))
        #expect(page.families["weird_total"]?.type == .counter)
    }

    @Test func specialValuesAndTimestamps() throws {
        let text = """
            a +Inf
            b -Inf
            c NaN
            d Inf
            e nan
            f 1.5e3 1700000000000
            g -0.25 -5
            h 0x1p-2
            i .5
            j 1E-3
            """
        let page = PrometheusExposition(parsing: text)
        #expect(page.problems.isEmpty, "\(page.problems)")
        let values = page.samples.map(\.value)
        #expect(values[0] == .infinity && values[1] == -.infinity && values[2].isNaN && values[3] == .infinity)
        #expect(values[4].isNaN)
        #expect(Array(values[5...]) == [1500, -0.25, 0.25, 0.5, 0.001])
        #expect(page.samples[5].timestamp == 1_700_000_000_000)
        #expect(page.samples[6].timestamp == -5)
        #expect(try PrometheusSeriesSelector(parsing: "c").select(in: page) == .absent("c is NaN"))
    }

    @Test func quotedNamesOfTheUTF8Syntax() throws {
        let page = PrometheusExposition(parsing: """
            # TYPE "my.heap.used" gauge
            {"my.heap.used", pool="old"} 42
            {"my.heap.used"} 1
            """)
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.families["my.heap.used"]?.type == .gauge)
        #expect(page.samples.map(\.name) == ["my.heap.used", "my.heap.used"])
        #expect(try PrometheusSeriesSelector(parsing: #"{"my.heap.used", pool="old"}"#).select(in: page)
            == .value(42, series: 1))
    }

    @Test func brokenLinesAreSkippedAndNamed() {
        let broken = [
            "no_value", "no_value{a=\"b\"}", "bad_value 1,5", "two_values 1 2 3", "comma_value 12abc",
            "unterminated{a=\"b} 1", "open_brace{ 1", "dup{a=\"1\",a=\"2\"} 1", "1starts_with_digit 1",
            "bare_label{a} 1", "unquoted{a=b} 1", "{} 1", "name{\"q\" = } 1", "tsnan 1 NaN", "x\u{0}y 1",
        ]
        let text = (["ok_before 1"] + broken + ["ok_after 2"]).joined(separator: "\n")
        let page = PrometheusExposition(parsing: text)
        #expect(page.samples.map(\.name) == ["ok_before", "ok_after"])
        #expect(page.problemCount == broken.count, "\(page.problems)")
        #expect(page.problems.map(\.line) == Array(2...(broken.count + 1)).prefix(PrometheusExposition.problemLimit)
            .map { $0 })
        let unknownType = PrometheusExposition(parsing: "# TYPE x flavour\nx 1\n#\n# just a comment\n#HELP\n")
        #expect(unknownType.samples.count == 1)
        #expect(unknownType.problems.first?.reason.contains("unknown type") == true)
    }

    @Test func neverCrashesOnGarbage() {
        var generator = SplitMix64(seed: 12)
        let alphabet = Array("a_{}=\",# \t\n\\+-.0123456789eE:InfNa!~".utf8) + [0, 0xFF, 0xC3, 0x80, 0x0D]
        for round in 0..<3_000 {
            let length = Int(generator.next() % 200)
            var bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            if round % 3 == 0 { bytes = Array("metric{label=\"v\"} 1 2\n".utf8) + bytes }
            let page = bytes.withUnsafeBufferPointer { PrometheusExposition(parsing: $0) }
            for sample in page.samples { _ = sample.name.utf8.count }
            let selectorText = String(decoding: bytes.prefix(40), as: UTF8.self)
            if let selector = try? PrometheusSeriesSelector(parsing: selectorText) {
                _ = selector.select(in: page)
            }
        }
        let random = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let page = random.withUnsafeBufferPointer { PrometheusExposition(parsing: $0) }
        #expect(page.problems.count <= PrometheusExposition.problemLimit)
        let longLine = String(repeating: "x", count: 200_000) + " 1\n"
        #expect(PrometheusExposition(parsing: longLine).samples.first?.value == 1)
    }

    @Test func keepingOnlyNamedSeriesStillReadsTheComments() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("node-prom-client.txt"), encoding: .utf8)
        let page = PrometheusExposition(parsing: text, keeping: ["nodejs_heap_size_used_bytes"])
        #expect(page.samples.map(\.name) == ["nodejs_heap_size_used_bytes"])
        #expect(page.families["nodejs_gc_duration_seconds"]?.type == .histogram)
    }

    @Test func readsTheHarnessesOwnMetricsPage() throws {
        let page = PrometheusExposition(parsing: try PrometheusExpositionTests.page())
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.samples.count > 10)
    }
}

@Suite struct PrometheusSelectorTests {
    @Test func parsesEveryOperatorAndPrintsItBack() throws {
        let selector = try PrometheusSeriesSelector(
            parsing: #" jvm_memory_used_bytes { area = "heap", id!="x\"y", pool=~"G1.*" , gen!~"a|b", } "#)
        #expect(selector.name == "jvm_memory_used_bytes")
        #expect(selector.matchers.map(\.op) == [.equal, .notEqual, .matches, .notMatches])
        #expect(selector.matchers[1].value == "x\"y")
        #expect(selector.description == #"jvm_memory_used_bytes{area="heap",id!="x\"y",pool=~"G1.*",gen!~"a|b"}"#)
        #expect(try PrometheusSeriesSelector(parsing: selector.description) == selector)
    }

    @Test func refusesWhatItCannotRead() {
        for text in ["", "{}", "x{", "x{a}", "x{a=b}", "x{a=\"b\"", "x{a==\"b\"}", "x y", "x{a=~\"(\"}", "9x",
                     "x{a=\"1\"} 5"] {
            #expect(throws: PrometheusSelectorError.self, "\(text)") { try PrometheusSeriesSelector(parsing: text) }
        }
    }

    @Test func anAbsentLabelReadsAsEmpty() throws {
        let page = PrometheusExposition(parsing: "m{a=\"1\"} 1\nm 2\n")
        #expect(try PrometheusSeriesSelector(parsing: "m{a=\"\"}").select(in: page) == .value(2, series: 1))
        #expect(try PrometheusSeriesSelector(parsing: "m{a!=\"\"}").select(in: page) == .value(1, series: 1))
        #expect(try PrometheusSeriesSelector(parsing: "m").select(in: page) == .value(3, series: 2))
    }

    @Test func anAbsentSeriesSaysWhatThePageHas() throws {
        let page = PrometheusExposition(parsing: "heap_used{pool=\"old\"} 1\nheap_used{pool=\"young\"} 2\nheap_max 3\n")
        guard case .absent(let labels) = try PrometheusSeriesSelector(parsing: "heap_used{pool=\"perm\"}")
            .select(in: page)
        else { return #expect(Bool(false)) }
        #expect(labels.contains("pool=\"old\"") && labels.contains("has 2"))
        guard case .absent(let near) = try PrometheusSeriesSelector(parsing: "heap_usd").select(in: page) else {
            return #expect(Bool(false))
        }
        #expect(near == "the page has no series heap_usd (it has heap_used)", "\(near)")
        #expect(try PrometheusSeriesSelector(parsing: "nothing_here").select(in: page)
            == .absent("the page has no series nothing_here"))
    }
}
