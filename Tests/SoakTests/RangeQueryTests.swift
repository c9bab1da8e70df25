import Foundation
import Testing
@testable import MiniHTTP
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun

/// `soak analyze --prometheus`: query_range answers recorded from Prometheus 2.42 (Debian's
/// package) and written by hand in the same shape, judged series by series.
@Suite struct RangeQueryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus/query_range").path

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
    }

    static func query(start: Double = 1_764_748_800, end: Double = 1_764_755_940, step: Double = 60) throws -> RangeQuery {
        try RangeQuery(server: try HTTPURL.parse("http://127.0.0.1:9090", role: .base),
                       query: "process_resident_memory_bytes{job=\"fleet\"}", start: start, end: end, step: step)
    }

    static func judge(_ name: String, status: Int = 200) throws -> RangeQueryAnalysis {
        let result = try RangeQueryResponse.parse(try fixture(name), status: status)
        return try RangeQueryAnalysis.judge(result, of: try query(), options: SeriesAnalysis.Options())
    }

    static func failure(_ body: () throws -> Any) -> RangeQueryError? {
        do {
            _ = try body()
            return nil
        } catch let error as RangeQueryError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func namesTheGrowingSeriesByItsLabels() throws {
        let analysis = try Self.judge("fleet-front-grows.json")
        #expect(analysis.verdict == .leak)
        #expect(analysis.series.count == 2)
        let front = analysis.series[0]
        #expect(front.series == #"process_resident_memory_bytes{instance="127.0.0.1:9100",job="fleet",role="front"}"#)
        #expect(front.labels["role"] == "front")
        #expect(front.analysis.verdict == .leak)
        #expect(front.analysis.n == 120)
        // 20 KiB a minute is 1.2 MiB an hour, on the axis of hours since --start.
        let slope = try #require(front.analysis.fit?.slope)
        #expect(abs(slope - 20480 * 60) < 20480 * 6)
        #expect(analysis.series[1].analysis.verdict == .pass)
        #expect(analysis.reason.hasPrefix(front.series + " leaks:"))
    }

    @Test func flatSeriesPass() throws {
        let analysis = try Self.judge("fleet-flat.json")
        #expect(analysis.verdict == .pass)
        #expect(analysis.series.allSatisfy { $0.analysis.verdict == .pass })
    }

    @Test func aThresholdPerHourKeepsSlowGrowthAPass() throws {
        let result = try RangeQueryResponse.parse(try Self.fixture("fleet-front-grows.json"), status: 200)
        var options = SeriesAnalysis.Options()
        options.threshold = Threshold(perCycle: Double(2 << 20), floor: 0)  // 2 MiB an hour allowed
        let analysis = try RangeQueryAnalysis.judge(result, of: try Self.query(), options: options)
        #expect(analysis.verdict == .pass)
    }

    @Test func anEmptyResultIsNoDataNeverAPass() throws {
        for name in ["empty-result.json", "recorded-empty.json"] {
            let error = Self.failure { try Self.judge(name) }
            #expect(error?.kind == .noData, "\(name)")
            #expect(error?.description.contains("matched no series") == true)
        }
    }

    @Test func nanAndInfinityAreLeftOutAndLeaveTheSeriesInconclusive() throws {
        for name in ["non-finite-only.json", "recorded-nan.json", "recorded-inf.json"] {
            let analysis = try Self.judge(name)
            #expect(analysis.verdict == .inconclusive, "\(name)")
            let series = try #require(analysis.series.first)
            #expect(series.nonFiniteSkipped > 0)
            #expect(series.nonFiniteSkipped == series.analysis.missingSkipped)
            #expect(series.analysis.reason.contains("NaN or ±Inf"))
        }
    }

    @Test func aRecordedShortSeriesIsReadButTooShortToJudge() throws {
        let result = try RangeQueryResponse.parse(try Self.fixture("recorded-process-rss.json"), status: 200)
        let series = try #require(result.series.first)
        #expect(series.selectorText
            == #"process_resident_memory_bytes{instance="127.0.0.1:19091",job="prometheus"}"#)
        #expect(series.points.count == 10)
        #expect(series.points.allSatisfy { ($0.value ?? 0) > 1_000_000 })
        let analysis = try RangeQueryAnalysis.judge(
            result, of: try Self.query(start: 1_796_284_321, end: 1_796_284_381, step: 2), options: .init())
        #expect(analysis.verdict == .inconclusive)
    }

    @Test func anErrorAnswerIsRefusedWithPrometheusOwnMessage() throws {
        let error = Self.failure { try RangeQueryResponse.parse(try Self.fixture("recorded-error-bad-data.json"), status: 400) }
        #expect(error?.kind == .usage)
        #expect(error?.description
            == "Prometheus refused the query (bad_data), HTTP 400: 1:10: parse error: unclosed left parenthesis")
        let points = Self.failure {
            try RangeQueryResponse.parse(try Self.fixture("recorded-error-too-many-points.json"), status: 400)
        }
        #expect(points?.description.contains("exceeded maximum resolution of 11,000 points") == true)
    }

    @Test func anInstantVectorIsNotAMatrix() throws {
        let error = Self.failure {
            try RangeQueryResponse.parse(try Self.fixture("recorded-instant-vector.json"), status: 200)
        }
        #expect(error?.kind == .usage)
        #expect(error?.description.contains(#"expected "resultType": "matrix""#) == true)
        #expect(error?.description.contains(#"found "vector""#) == true)
    }

    @Test func foreignAnswersAreNamed() throws {
        let notFound = Self.failure { try RangeQueryResponse.parse(Array("404 page not found\n".utf8), status: 404) }
        #expect(notFound?.description == #"HTTP 404: "404 page not found""#)
        let html = Self.failure { try RangeQueryResponse.parse(Array("<html>".utf8), status: 200) }
        #expect(html?.description.contains("expected Prometheus's HTTP API") == true)
        let badValue = Self.failure {
            try RangeQueryResponse.parse(Array(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}"#.utf8), status: 200)
        }
        #expect(badValue?.description == #"result[0].values[0]: expected a number as a string, found "x""#)
        let histograms = Self.failure {
            try RangeQueryResponse.parse(Array(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"h"},"histograms":[]}]}}"#.utf8), status: 200)
        }
        #expect(histograms?.description.contains("native histograms") == true)
    }

    @Test func httpsIsRefusedWithWhatToDoInstead() throws {
        let error = Self.failure { try RangeQueryClient.server("https://prom.example:9090") }
        #expect(error?.kind == .usage)
        #expect(error?.description.contains("https is not supported") == true)
        #expect(error?.description.contains("ssh -L") == true)
        #expect(try RangeQueryClient.server("http://prom.example:9090/prometheus/").path == "/prometheus")
    }

    @Test func theRequestCarriesThePromQLEscaped() throws {
        let query = try RangeQuery(server: try RangeQueryClient.server("http://127.0.0.1:9090/p"),
                                   query: #"sum by (role) (rate(x{job=~"a b"}[5m]))"#, start: 10, end: 70.5, step: 0.5)
        #expect(query.requestTarget == "/p/api/v1/query_range?query=sum%20by%20%28role%29%20%28rate%28x%7Bjob%3D~"
            + "%22a%20b%22%7D%5B5m%5D%29%29&start=10&end=70.5&step=0.5")
    }

    @Test func windowsPrometheusWouldRefuseAreRefusedFirst() throws {
        let server = try RangeQueryClient.server("http://127.0.0.1:9090")
        #expect(Self.failure { try RangeQuery(server: server, query: "up", start: 100, end: 100, step: 1) }?
            .description.contains("must come after --start") == true)
        #expect(Self.failure { try RangeQuery(server: server, query: "up", start: 0, end: 86400, step: 1) }?
            .description.contains("at most 11000") == true)
        #expect(Self.failure { try RangeQuery(server: server, query: " ", start: 0, end: 60, step: 1) } != nil)
    }

    @Test func timesReadAsPrometheusReadsThem() {
        #expect(RangeTime.parse("2026-12-03T07:00:00Z", now: 0) == 1_796_281_200)
        #expect(RangeTime.parse("2026-12-03T08:00:00+01:00", now: 0) == 1_796_281_200)
        #expect(RangeTime.parse("2024-02-29T23:59:59.25Z", now: 0) == 1_709_251_199.25)
        #expect(RangeTime.parse("1796281200", now: 0) == 1_796_281_200)
        #expect(RangeTime.parse("now", now: 5000) == 5000)
        #expect(RangeTime.parse("now-1h", now: 5000) == 1400)
        for bad in ["", "yesterday", "2026-13-03T07:00:00Z", "2026-12-03T07:00:00", "-5", "now-x", "nan", "inf"] {
            #expect(RangeTime.parse(bad, now: 0) == nil, "\(bad)")
        }
        #expect(RangeTime.text(1_796_281_200) == "1796281200")
    }

    /// The client over a real loopback server: the request it sends, and an HTTP error's JSON body.
    @Test func fetchesOverLoopbackAndReadsErrorBodies() throws {
        let body = try Self.fixture("fleet-front-grows.json")
        let error = try Self.fixture("recorded-error-bad-data.json")
        let server = HTTPServer { request in
            guard request.path == "/api/v1/query_range" else { return HTTPResponse(status: 404, text: "404 page not found\n") }
            if request.query?.contains("query=bad") == true { return HTTPResponse(status: 400, json: error) }
            return HTTPResponse(json: body)
        }
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        let base = try RangeQueryClient.server("http://\(address)")
        let good = try RangeQuery(server: base, query: "good", start: 1_764_748_800, end: 1_764_755_940, step: 60)
        #expect(try RangeQueryClient.fetch(good, timeout: .seconds(5)).series.count == 2)
        let bad = try RangeQuery(server: base, query: "bad", start: 0, end: 60, step: 1)
        let refused = Self.failure { try RangeQueryClient.fetch(bad, timeout: .seconds(5)) }
        #expect(refused?.kind == .usage)
        #expect(refused?.description.contains("Prometheus refused the query (bad_data), HTTP 400") == true)
        let elsewhere = try RangeQuery(server: try RangeQueryClient.server("http://\(address)/x"), query: "up",
                                       start: 0, end: 60, step: 1)
        #expect(Self.failure { try RangeQueryClient.fetch(elsewhere, timeout: .seconds(5)) }?.description
            .contains("HTTP 404") == true)
    }
}
