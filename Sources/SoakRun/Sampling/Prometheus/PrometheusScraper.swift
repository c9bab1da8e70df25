import MiniHTTP
import SoakProfiles

/// Reads named series from a target's Prometheus endpoint (`/metrics`) over one keep-alive
/// connection, each scrape bounded by a wall-clock timeout.
///
/// Only the selected names are parsed out of each page, so a scrape of a JVM's 60 KB page costs
/// about what fetching it costs. A failed scrape (refused, timed out, not 2xx, not text) gives
/// missing values and a reason, never zeros; the next scrape reconnects.
package final class PrometheusScraper {
    /// A column and the series it reads.
    package struct Series: Sendable, Equatable {
        package var column: String
        package var selector: PrometheusSeriesSelector

        package init(column: String, selector: PrometheusSeriesSelector) {
            self.column = column
            self.selector = selector
        }
    }

    /// What one scrape gave.
    package struct Scrape: Sendable, Equatable {
        /// One value per series, in the order given; nil where absent or when the scrape failed.
        package var values: [Double?]
        /// Why a column is missing, for each missing one (column, reason).
        package var absences: [Absence]
        /// Why the whole scrape failed; nil when a page was read.
        package var failure: String?
    }

    /// A column without a value and why.
    package struct Absence: Sendable, Equatable {
        package var column: String
        package var reason: String
    }

    /// The endpoint as given (`http://127.0.0.1:9464/metrics`).
    package let url: String
    package let series: [Series]
    private let client: HTTPClient
    private let target: String
    private let names: Set<String>
    /// The reason each column was last found missing, so the full page is parsed for a helpful
    /// message only when a column first goes missing, not on every sample.
    private var lastAbsence: [String: String] = [:]

    /// Prefers the classic text format; OpenMetrics is read too. Never protobuf, which this
    /// parser does not read, and no compression.
    static let accept = "text/plain;version=0.0.4;q=1.0,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1"

    /// A scraper for `url` (`http://HOST:PORT[/PATH]`, path `/metrics` when none).
    package init(url: String, timeout: Duration, series: [Series]) throws(PrometheusScrapeError) {
        let (endpoint, addresses) = try Self.resolve(url: url)
        self.url = url
        self.series = series
        target = endpoint.path
        names = Set(series.map(\.selector.name))
        client = HTTPClient(
            addresses: addresses, host: endpoint.authority,
            configuration: .init(timeout: timeout, maxResponseBytes: 32 << 20))
    }

    deinit { client.close() }

    /// Fetches the page once and reads every series from it.
    package func scrape() -> Scrape {
        let body: [UInt8]
        switch fetch() {
        case .success(let bytes): body = bytes
        case .failure(let failure):
            let reason = failure.description
            return Scrape(
                values: Array(repeating: nil, count: series.count),
                absences: series.map { Absence(column: $0.column, reason: reason) }, failure: reason)
        }
        let page = body.withUnsafeBufferPointer { PrometheusExposition(parsing: $0, keeping: names) }
        return read(page, body: body)
    }

    /// Reads every series from a page parsed with only the wanted names.
    func read(_ page: PrometheusExposition, body: [UInt8]) -> Scrape {
        var scrape = Scrape(values: [], absences: [], failure: nil)
        var fullPage: PrometheusExposition?
        for entry in series {
            switch entry.selector.select(in: page) {
            case .value(let value, _):
                scrape.values.append(value)
                lastAbsence[entry.column] = nil
            case .absent(let quick):
                scrape.values.append(nil)
                var reason = lastAbsence[entry.column] ?? quick
                if lastAbsence[entry.column] == nil {
                    if fullPage == nil { fullPage = body.withUnsafeBufferPointer { PrometheusExposition(parsing: $0) } }
                    if case .absent(let detailed) = entry.selector.select(in: fullPage!) { reason = detailed }
                    lastAbsence[entry.column] = reason
                }
                scrape.absences.append(Absence(column: entry.column, reason: reason))
            }
        }
        return scrape
    }

    private func fetch() -> Result<[UInt8], ScrapeFailure> {
        var request = HTTPRequest(method: "GET", target: target)
        request.headers.add(name: "Accept", value: Self.accept)
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch {
            return .failure(ScrapeFailure("\(url): \(error)"))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(ScrapeFailure("\(url): HTTP \(response.status) \(response.reason)"))
        }
        if let encoding = response.headers["Content-Encoding"], encoding.lowercased() != "identity" {
            return .failure(ScrapeFailure("\(url): the page came \(encoding)-compressed, which soak does not read"))
        }
        if let type = response.headers["Content-Type"], type.lowercased().contains("protobuf") {
            return .failure(ScrapeFailure("\(url): the page is protobuf (\(type)); soak reads the text format"))
        }
        return .success(response.body)
    }

    /// `http://HOST:PORT[/PATH]` → the address and the request target (`/metrics` by default).
    /// Parses `url` by the same rules as every other URL of a profile (names resolve, IPv6 in
    /// brackets, an explicit port), with `/metrics` as the path when none is written.
    static func resolve(url: String) throws(PrometheusScrapeError) -> (HTTPURL, [NetworkAddress]) {
        guard !url.hasPrefix("https://") else {
            throw PrometheusScrapeError(
                url: url, reason: "https is not supported (no TLS without packages); expose a plain-HTTP metrics port on 127.0.0.1")
        }
        do {
            var endpoint = try HTTPURL.parse(url, role: .endpoint)
            if endpoint.path == "/", !url.hasSuffix("/") { endpoint.path = "/metrics" }
            return (endpoint, try HostResolver.resolve(host: endpoint.host, port: UInt16(endpoint.port)))
        } catch let error as HTTPURLError {
            throw PrometheusScrapeError(url: url, reason: error.description)
        } catch {
            throw PrometheusScrapeError(url: url, reason: "\(error)")
        }
    }
}

/// Why a scrape gave no page.
private struct ScrapeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A metrics URL the scraper cannot use.
package struct PrometheusScrapeError: Error, Equatable, CustomStringConvertible {
    package var url: String
    package var reason: String

    package var description: String { "\"\(url)\": \(reason)" }
}
