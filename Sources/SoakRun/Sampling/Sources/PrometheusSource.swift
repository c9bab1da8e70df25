import Glibc
import SoakAnalysis
import SoakProfiles

/// `target.command.metrics`: series scraped from the target's Prometheus endpoint at every
/// sample, troughs included.
package final class PrometheusSource: MetricSource {
    package let columns: [String]
    private let scraper: PrometheusScraper
    private var notice = SourceNotice(source: "metrics")

    /// Checks every selector and the URL; throws a message naming the bad one.
    package init(url: String, series: [Profile.PrometheusColumn], timeout: Duration) throws(SupervisorError) {
        var parsed: [PrometheusScraper.Series] = []
        for entry in series {
            do {
                parsed.append(.init(column: entry.column, selector: try PrometheusSeriesSelector(parsing: entry.series)))
            } catch {
                throw SupervisorError("target.command.metrics.\(entry.column): \(error)")
            }
        }
        do {
            scraper = try PrometheusScraper(url: url, timeout: timeout, series: parsed)
        } catch {
            throw SupervisorError("target.command.metricsURL: \(error)")
        }
        columns = series.map(\.column)
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        let scrape = scraper.scrape()
        for (column, value) in zip(columns, scrape.values) where value != nil {
            row.declared[column] = value
        }
        notice.set(scrape.failure ?? scrape.absences.first.map { "\($0.column): \($0.reason)" })
    }

    package func takeNotice() -> String? { notice.take() }
}
