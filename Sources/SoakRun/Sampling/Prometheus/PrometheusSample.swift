/// One sample line of a Prometheus exposition: `name{label="value",...} value [timestamp]`.
package struct PrometheusSample: Sendable, Equatable {
    /// The sample's own name (`http_requests_total`, `rpc_seconds_bucket`), not its family's.
    package var name: String
    /// Labels in the order written; values unescaped.
    package var labels: [PrometheusLabel]
    /// The value: any float, including `+Inf`, `-Inf` and `NaN`.
    package var value: Double
    /// The timestamp as written: milliseconds in text 0.0.4, seconds in OpenMetrics; nil when absent.
    package var timestamp: Double?

    package init(name: String, labels: [PrometheusLabel] = [], value: Double, timestamp: Double? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// The value of label `name`; nil when the sample has no such label.
    package func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// NaN equals NaN here: a parsed `NaN` sample must compare equal to the one expected.
    package static func == (left: PrometheusSample, right: PrometheusSample) -> Bool {
        left.name == right.name && left.labels == right.labels && left.timestamp == right.timestamp
            && (left.value == right.value || (left.value.isNaN && right.value.isNaN))
    }
}

/// A label pair of a sample or a selector.
package struct PrometheusLabel: Sendable, Equatable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What `# TYPE` says a family is. Samples of a family without a `# TYPE` line are `untyped`.
package enum PrometheusMetricType: String, Sendable, Equatable {
    case counter, gauge, histogram, summary, untyped
    /// OpenMetrics' names for the same ideas.
    case unknown, gaugehistogram, info, stateset

    /// The suffixes a family of this type writes its samples with, beyond the bare name.
    var sampleSuffixes: [String] {
        switch self {
        case .histogram: ["_bucket", "_sum", "_count", "_created"]
        case .gaugehistogram: ["_bucket", "_gsum", "_gcount"]
        case .summary: ["_sum", "_count", "_created"]
        case .counter: ["_total", "_created"]
        case .info: ["_info"]
        default: []
        }
    }

    /// Whether the family's bare name is never a sample of its own (only its suffixed series are).
    var hasNoBareSample: Bool {
        switch self {
        case .histogram, .gaugehistogram, .info: true
        default: false
        }
    }
}

/// What the comment lines say about one metric family.
package struct PrometheusFamily: Sendable, Equatable {
    package var type: PrometheusMetricType = .untyped
    /// `# HELP` text, unescaped.
    package var help: String?
    /// OpenMetrics `# UNIT`.
    package var unit: String?

    package init(type: PrometheusMetricType = .untyped, help: String? = nil, unit: String? = nil) {
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// A line the parser skipped, and why; the rest of the page is still read.
package struct PrometheusProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    package var line: Int
    package var reason: String

    package var description: String { "line \(line): \(reason)" }
}
