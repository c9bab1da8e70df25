/// Builds a page in the Prometheus text exposition format, version 0.0.4: per metric family a
/// `# HELP` and a `# TYPE` line, then its samples as `name{label="value",...} number`.
///
/// Only counters and gauges: everything a soak or a fleet exports is a current value or a running
/// total. A family's `# HELP` and `# TYPE` are written once, before its first sample; its samples
/// must be added together, which is what the format asks. Shared by soak's live `/metrics` and
/// every `tenantd fleet` process's.
package struct PrometheusText {
    /// The content type scrapers expect for this format.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    package enum Kind: String, Sendable {
        /// Only ever goes up (resets with the process); its name ends in `_total`.
        case counter
        /// Goes up and down.
        case gauge
    }

    /// One line of a family: labels beyond the page's common ones, and the value.
    package struct Sample {
        package var labels: [(name: String, value: String)] = []
        package var value: Double

        package init(labels: [(name: String, value: String)] = [], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// Labels added to every sample (`profile`, `run`).
    package let commonLabels: [(name: String, value: String)]
    package private(set) var text = ""
    /// Families whose `# HELP` and `# TYPE` are written.
    private var described: Set<String> = []

    package init(commonLabels: [(name: String, value: String)] = []) {
        self.commonLabels = commonLabels
    }

    /// Adds a family with one unlabelled sample; left out when `value` is nil.
    package mutating func add(_ name: String, _ kind: Kind, help: String, value: Double?) {
        guard let value else { return }
        add(name, kind, help: help, samples: [Sample(value: value)])
    }

    /// Adds a family; left out when it has no samples.
    package mutating func add(_ name: String, _ kind: Kind, help: String, samples: [Sample]) {
        guard !samples.isEmpty else { return }
        if described.insert(name).inserted {
            text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        }
        for sample in samples {
            text += name
            let labels = commonLabels + sample.labels
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.name)=\"\(Self.escapeLabel($0.value))\"" }
                    .joined(separator: ",") + "}"
            }
            text += " " + Self.format(sample.value) + "\n"
        }
    }

    /// Adds one sample of a family, described the first time; the family's other samples follow.
    package mutating func add(
        _ name: String, _ kind: Kind, help: String, value: Double, labels: [(name: String, value: String)]
    ) {
        add(name, kind, help: help, samples: [Sample(labels: labels, value: value)])
    }

    /// Go's float syntax, which the format uses: integers plainly, `NaN`, `+Inf`, `-Inf`.
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape backslash, double quote and line feed.
    package static func escapeLabel(_ value: String) -> String { escape(value, quotes: true) }

    /// Help text escapes backslash and line feed only.
    package static func escapeHelp(_ value: String) -> String { escape(value, quotes: false) }

    private static func escape(_ value: String, quotes: Bool) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"" where quotes: escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
