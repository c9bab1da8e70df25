import SoakAnalysis
import SoakUnits

/// `soak analyze --prometheus`'s result: every series of a range query judged like a run's metric,
/// on an axis of hours since `--start` (x is `hour`), so slopes and thresholds read per hour.
///
/// The verdict is the worst of the series': a leak in any of them, else inconclusive when any
/// could not be judged (too few finite points), else pass. No data is never a pass.
///
/// JSON keys: `server`, `query`, `start`, `end`, `step`, `verdict`, `reason`, `warnings`, `series`
/// (each: `series`, `labels`, `non_finite_skipped`, `analysis`).
package struct RangeQueryAnalysis: Codable, Sendable, Equatable {
    /// One series of the result and its judgement.
    package struct SeriesVerdict: Codable, Sendable, Equatable {
        /// The series as PromQL writes it: `name{label="value",...}`.
        package var series: String
        /// Its labels, `__name__` included when the server sent it.
        package var labels: [String: String]
        /// Points whose value was NaN or ±Inf, left out of the fit.
        package var nonFiniteSkipped: Int
        /// The same analysis `soak analyze FILE.csv` gives, y being the series and x hours.
        package var analysis: SeriesAnalysis

        enum CodingKeys: String, CodingKey {
            case series, labels, analysis
            case nonFiniteSkipped = "non_finite_skipped"
        }
    }

    package var server: String
    package var query: String
    /// Unix seconds.
    package var start: Double
    /// Unix seconds.
    package var end: Double
    /// Seconds.
    package var step: Double
    package var verdict: LeakVerdict
    package var reason: String
    package var warnings: [String]
    package var series: [SeriesVerdict]

    /// Judges every series of `result`; throws `.noData` when the query matched nothing.
    package static func judge(
        _ result: RangeQueryResponse.Result, of query: RangeQuery, options: SeriesAnalysis.Options
    ) throws(RangeQueryError) -> RangeQueryAnalysis {
        let server = "http://\(query.server.authority)\(query.server.path)"
        guard !result.series.isEmpty else {
            throw RangeQueryError(.noData, "\(server): the query \(quotedQuery(query.query)) matched no series between "
                + "\(RangeTime.text(query.start)) and \(RangeTime.text(query.end)); check the metric name, its labels "
                + "and the window (no data is never a pass)")
        }
        let verdicts = result.series.map { series in
            var points: [SeriesPoint] = []
            points.reserveCapacity(series.points.count)
            for point in series.points {
                guard let value = point.value else { continue }
                let seconds = point.time - query.start
                points.append(SeriesPoint(x: seconds / 3600, t: seconds, y: value))
            }
            let skipped = series.nonFiniteCount
            var analysis = SeriesAnalysis.analyze(
                points: points, y: series.selectorText, x: "hour", missing: skipped, options: options)
            if skipped > 0 {
                analysis.reason += "; \(skipped) NaN or ±Inf point\(skipped == 1 ? "" : "s") left out"
            }
            return SeriesVerdict(
                series: series.selectorText,
                labels: Dictionary(series.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
                nonFiniteSkipped: skipped, analysis: analysis)
        }
        let (verdict, reason) = decide(verdicts)
        return RangeQueryAnalysis(
            server: server, query: query.query, start: query.start, end: query.end, step: query.step,
            verdict: verdict, reason: reason, warnings: result.warnings, series: verdicts)
    }

    /// The worst verdict and a sentence naming the series that decided it.
    static func decide(_ verdicts: [SeriesVerdict]) -> (LeakVerdict, String) {
        let leaks = verdicts.filter { $0.analysis.verdict == .leak }
        if !leaks.isEmpty {
            return (.leak, leaks.map { "\($0.series) leaks: \($0.analysis.reason)" }.joined(separator: "; "))
        }
        let unsure = verdicts.filter { $0.analysis.verdict == .inconclusive }
        if !unsure.isEmpty {
            return (.inconclusive, unsure.map { "\($0.series): \($0.analysis.reason)" }.joined(separator: "; ")
                + "; a series that cannot be judged is never a pass")
        }
        return (.pass, "no series grows: \(verdicts.count) series pass")
    }

    private static func quotedQuery(_ text: String) -> String {
        text.count > 120 ? "'" + text.prefix(120) + "…'" : "'" + text + "'"
    }

    enum CodingKeys: String, CodingKey {
        case server, query, start, end, step, verdict, reason, warnings, series
    }
}
