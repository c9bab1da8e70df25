import Synchronization
import Testing
@testable import MiniHTTP
@testable import SoakRun

/// The scraper against a real server on 127.0.0.1: keep-alive, failures as reasons, never zeros.
@Suite struct PrometheusScraperTests {
    /// A page whose heap grows by 2 KiB per scrape, like the acceptance target.
    final class GrowingPage: Sendable {
        let scrapes = Atomic<Int>(0)
        func respond(_ request: HTTPRequest) -> HTTPResponse {
            guard request.path == "/metrics" else { return HTTPResponse(status: 404, text: "no") }
            let count = scrapes.add(1, ordering: .relaxed).newValue
            return HTTPResponse(text: """
                # HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
                # TYPE nodejs_heap_size_used_bytes gauge
                nodejs_heap_size_used_bytes \(4_000_000 + count * 2048)
                process_resident_memory_bytes{pid="1"} 5e7

                """, headers: ["Content-Type": "text/plain; version=0.0.4"])
        }
    }

    static func withServer<Value>(
        _ handler: @escaping HTTPServer.Handler, _ body: (SocketAddress) throws -> Value
    ) throws -> Value {
        let server = HTTPServer(handler: handler)
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        return try body(address)
    }

    static func series(_ pairs: KeyValuePairs<String, String>) throws -> [PrometheusScraper.Series] {
        try pairs.map { PrometheusScraper.Series(column: $0.key, selector: try PrometheusSeriesSelector(parsing: $0.value)) }
    }

    @Test func readsSeriesOverOneKeptConnection() throws {
        let page = GrowingPage()
        try Self.withServer(page.respond) { address in
            let scraper = try PrometheusScraper(
                url: "http://\(address)", timeout: .seconds(2),
                series: try Self.series(["heap": "nodejs_heap_size_used_bytes", "rss": "process_resident_memory_bytes",
                                         "gone": "nodejs_heap_size_total_bytes"]))
            let first = scraper.scrape()
            let second = scraper.scrape()
            #expect(first.failure == nil)
            #expect(first.values == [4_002_048, 50_000_000, nil])
            #expect(second.values[0] == 4_004_096)
            #expect(second.absences.map(\.column) == ["gone"])
            #expect(second.absences.first?.reason.contains("nodejs_heap_size_used_bytes") == true)
        }
    }

    @Test func failuresAreReasonsNotZeros() throws {
        try Self.withServer({ _ in HTTPResponse(status: 503, text: "busy") }) { address in
            let scraper = try PrometheusScraper(
                url: "http://\(address)/metrics", timeout: .seconds(2), series: try Self.series(["heap": "x"]))
            let scrape = scraper.scrape()
            #expect(scrape.values == [nil])
            #expect(scrape.failure?.contains("HTTP 503") == true)
        }
        try Self.withServer({ _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/vnd.google.protobuf"], body: [1, 2])
        }) { address in
            let scraper = try PrometheusScraper(
                url: "http://\(address)/metrics", timeout: .seconds(2), series: try Self.series(["heap": "x"]))
            #expect(scraper.scrape().failure?.contains("protobuf") == true)
        }
        // A port nothing listens on: bind one, note it, close it.
        let closed = try Self.withServer({ _ in HTTPResponse(text: "") }) { $0 }
        let refused = try PrometheusScraper(
            url: "http://\(closed)/metrics", timeout: .seconds(2), series: try Self.series(["heap": "x"]))
        let scrape = refused.scrape()
        #expect(scrape.values == [nil])
        #expect(scrape.failure?.contains("refused") == true, "\(scrape.failure ?? "")")
    }

    @Test func refusesURLsItCannotUse() {
        for url in ["https://127.0.0.1:9/metrics", "127.0.0.1:9", "http://127.0.0.1/metrics", "http://[::1:9"] {
            #expect(throws: PrometheusScrapeError.self, "\(url)") {
                try PrometheusScraper(url: url, timeout: .seconds(1), series: [])
            }
        }
        #expect(throws: PrometheusScrapeError(
            url: "https://x:1", reason: "https is not supported (no TLS without packages); "
                + "expose a plain-HTTP metrics port on 127.0.0.1")) {
            try PrometheusScraper(url: "https://x:1", timeout: .seconds(1), series: [])
        }
    }
}
