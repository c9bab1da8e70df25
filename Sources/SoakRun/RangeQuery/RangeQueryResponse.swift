import SoakProfiles

/// Reads the body of `/api/v1/query_range` by hand, with the package's own strict JSON reader.
///
/// The shape (Prometheus's HTTP API, v1): `{"status": "success", "data": {"resultType": "matrix",
/// "result": [{"metric": {labels}, "values": [[unix_seconds, "value"], ...]}, ...]}}`, or
/// `{"status": "error", "errorType": "...", "error": "..."}` with a 4xx or 5xx status. Values are
/// strings so that NaN and ±Inf survive JSON; those points are kept as missing. A series holding
/// native histograms (`"histograms"`) instead of floats has no value to judge and is refused.
package enum RangeQueryResponse {
    /// What a successful query gave.
    package struct Result: Sendable, Equatable {
        package var series: [RangeSeries]
        /// The server's `warnings`, passed on to the reader.
        package var warnings: [String]
    }

    /// Parses `body`, received with HTTP `status`; throws a message fit for the user, with the exit
    /// code's kind: a server error or a foreign answer is `.usage`, an empty result `.noData`.
    package static func parse(_ body: [UInt8], status: Int) throws(RangeQueryError) -> Result {
        var parser = ProfileJSONParser(bytes: body)
        let document: ProfileJSON
        do {
            document = try parser.parseDocument()
        } catch {
            let head = String(decoding: body.prefix(200), as: UTF8.self).split(separator: "\n").first.map(String.init)
            let shown = head.map { ": \(ProfileJSON.quoted($0))" } ?? " with an empty body"
            throw RangeQueryError(.usage, (200..<300).contains(status)
                ? "the answer is not JSON (\(error.message) at byte \(error.offset)); expected Prometheus's HTTP API "
                    + "at this URL\(shown)"
                : "HTTP \(status)\(shown)")
        }
        guard case .object(let top) = document.kind else {
            throw RangeQueryError(.usage, "expected a JSON object with \"status\" and \"data\", found \(document.foundText)")
        }
        let state = string(top, "status")
        if state == "error" {
            let type = string(top, "errorType").map { " (\($0))" } ?? ""
            throw RangeQueryError(.usage, "Prometheus refused the query\(type), HTTP \(status): "
                + (string(top, "error") ?? "no message"))
        }
        guard state == "success" else {
            throw RangeQueryError(.usage, "expected \"status\": \"success\" or \"error\", found "
                + (member(top, "status")?.foundText ?? "none") + " (HTTP \(status))")
        }
        guard let data = member(top, "data"), case .object(let fields) = data.kind else {
            throw RangeQueryError(.usage, "expected \"data\" to be an object, found " + (member(top, "data")?.foundText ?? "none"))
        }
        let type = string(fields, "resultType")
        guard type == "matrix" else {
            throw RangeQueryError(.usage, "expected \"resultType\": \"matrix\" (a range query's), found "
                + (member(fields, "resultType")?.foundText ?? "none") + "; is the URL a Prometheus query_range API?")
        }
        guard let resultValue = member(fields, "result"), case .array(let items) = resultValue.kind else {
            throw RangeQueryError(.usage, "expected \"result\" to be a list")
        }
        var series: [RangeSeries] = []
        for (index, item) in items.enumerated() {
            series.append(try Self.series(item, index: index))
        }
        var warnings: [String] = []
        if let list = member(top, "warnings"), case .array(let entries) = list.kind {
            for entry in entries { if case .string(let text) = entry.kind { warnings.append(text) } }
        }
        return Result(series: series, warnings: warnings)
    }

    private static func series(_ item: ProfileJSON, index: Int) throws(RangeQueryError) -> RangeSeries {
        let at = "result[\(index)]"
        guard case .object(let fields) = item.kind else {
            throw RangeQueryError(.usage, "\(at): expected an object with \"metric\" and \"values\", found \(item.foundText)")
        }
        var labels: [RangeSeries.Label] = []
        if let metric = member(fields, "metric") {
            guard case .object(let pairs) = metric.kind else {
                throw RangeQueryError(.usage, "\(at).metric: expected an object of labels, found \(metric.foundText)")
            }
            for pair in pairs {
                guard case .string(let value) = pair.value.kind else {
                    throw RangeQueryError(.usage, "\(at).metric.\(pair.key): expected a string, found \(pair.value.foundText)")
                }
                labels.append(.init(name: pair.key, value: value))
            }
        }
        guard let values = member(fields, "values") else {
            let what = member(fields, "histograms") != nil
                ? "holds native histograms, which have no single value to judge; query a float series such as "
                    + "histogram_quantile(...) or rate(..._sum[5m])"
                : "has no \"values\""
            throw RangeQueryError(.usage, "\(at) \(RangeSeries(labels: labels, points: []).selectorText) \(what)")
        }
        guard case .array(let pairs) = values.kind else {
            throw RangeQueryError(.usage, "\(at).values: expected a list of [time, \"value\"] pairs, found \(values.foundText)")
        }
        var points: [RangeSeries.Point] = []
        points.reserveCapacity(pairs.count)
        for (position, pair) in pairs.enumerated() {
            guard case .array(let parts) = pair.kind, parts.count == 2,
                  case .number(let timeText) = parts[0].kind, let time = Double(timeText), time.isFinite,
                  case .string(let valueText) = parts[1].kind
            else {
                throw RangeQueryError(.usage, "\(at).values[\(position)]: expected [unix_seconds, \"value\"], found "
                    + pair.foundText)
            }
            guard let value = number(valueText) else {
                throw RangeQueryError(.usage, "\(at).values[\(position)]: expected a number as a string, found "
                    + ProfileJSON.quoted(valueText))
            }
            points.append(.init(time: time, value: value.isFinite ? value : nil))
        }
        return RangeSeries(labels: labels, points: points)
    }

    /// A value as Prometheus formats one (Go's `strconv.FormatFloat(v, 'f', -1, 64)`, `NaN`, `+Inf`,
    /// `-Inf`); nil when it is not a number at all.
    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let first = text.first, first.isNumber || first == "-" || first == "." else { return nil }
            return Double(text)
        }
    }

    private static func member(_ members: [ProfileJSON.Member], _ key: String) -> ProfileJSON? {
        members.first { $0.key == key }?.value
    }

    private static func string(_ members: [ProfileJSON.Member], _ key: String) -> String? {
        guard let value = member(members, key), case .string(let text) = value.kind else { return nil }
        return text
    }
}
