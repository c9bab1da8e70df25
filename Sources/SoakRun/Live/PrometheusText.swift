/// Builds a page in the Prometheus text exposition format, version 0.0.4: per metric family a
/// `# HELP` and a `# TYPE` line, then its samples as `name{label="value",...} number`.
///
/// Only counters and gauges: everything a soak exports is a current value or a running total.
/// Families are written whole, once each, in the order added, which is what the format asks.
struct PrometheusText {
    /// The content type scrapers expect for this format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    enum Kind: String {
        /// Only ever goes up (resets with the process); its name ends in `_total`.
        case counter
        /// Goes up and down.
        case gauge
    }

    /// One line of a family: labels beyond the page's common ones, and the value.
    struct Sample {
        var labels: [(name: String, value: String)] = []
        var value: Double
    }

    /// Labels added to every sample (`profile`, `run`).
    let commonLabels: [(name: String, value: String)]
    private(set) var text = ""

    init(commonLabels: [(name: String, value: String)] = []) {
        self.commonLabels = commonLabels
    }

    /// Adds a family with one unlabelled sample; left out when `value` is nil.
    mutating func add(_ name: String, _ kind: Kind, help: String, value: Double?) {
        guard let value else { return }
        add(name, kind, help: help, samples: [Sample(value: value)])
    }

    /// Adds a family; left out when it has no samples.
    mutating func add(_ name: String, _ kind: Kind, help: String, samples: [Sample]) {
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
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

    /// Go's float syntax, which the format uses: integers plainly, `NaN`, `+Inf`, `-Inf`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String { escape(value, quotes: true) }

    /// Help text escapes backslash and line feed only.
    static func escapeHelp(_ value: String) -> String { escape(value, quotes: false) }

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
