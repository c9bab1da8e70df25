import SoakUnits
/// Which series of a page a column reads: `name`, optionally with label matchers, in PromQL's
/// selector syntax: `jvm_memory_used_bytes{area="heap"}`, `x{pool!="Metaspace"}`,
/// `x{id=~"G1 (Eden|Old).*"}`, `x{id!~"CodeHeap.*"}`.
///
/// As in PromQL, a label the sample lacks reads as the empty string, and regular expressions
/// match the whole value. When several series match, the column is their sum (the heap of every
/// pool with `area="heap"`); when none does, the value is missing, never zero.
package struct PrometheusSeriesSelector: Sendable, Equatable, CustomStringConvertible {
    /// One label condition.
    package struct Matcher: Sendable, Equatable {
        package enum Operator: String, Sendable {
            case equal = "=", notEqual = "!=", matches = "=~", notMatches = "!~"
        }

        package var label: String
        package var op: Operator
        package var value: String
        /// The compiled pattern for `=~` and `!~`.
        let pattern: LabelPattern?

        /// Whether a sample's value of the label (empty when absent) satisfies the condition.
        func accepts(_ actual: String) -> Bool {
            switch op {
            case .equal: actual == value
            case .notEqual: actual != value
            case .matches: pattern?.matchesWhole(actual) ?? false
            case .notMatches: !(pattern?.matchesWhole(actual) ?? false)
            }
        }

        package static func == (left: Matcher, right: Matcher) -> Bool {
            left.label == right.label && left.op == right.op && left.value == right.value
        }
    }

    /// The sample name to read.
    package var name: String
    package var matchers: [Matcher]

    /// Parses a selector; the error says what was expected where.
    package init(parsing text: String) throws(PrometheusSelectorError) {
        var copy = text
        let parsed = copy.withUTF8 { bytes in Self.parse(bytes) }
        switch parsed {
        case .success(let selector): self = selector
        case .failure(let error): throw PrometheusSelectorError(selector: text, reason: error.reason)
        }
    }

    private init(name: String, matchers: [Matcher]) {
        self.name = name
        self.matchers = matchers
    }

    /// Whether `sample` is one of the selected series.
    package func matches(_ sample: PrometheusSample) -> Bool {
        sample.name == name && matchers.allSatisfy { $0.accepts(sample.label($0.label) ?? "") }
    }

    /// `name{label="value",...}` as PromQL writes it.
    package var description: String {
        guard !matchers.isEmpty else { return name }
        let conditions = matchers.map { "\($0.label)\($0.op.rawValue)\"\(PrometheusText.escapeLabel($0.value))\"" }
        return name + "{" + conditions.joined(separator: ",") + "}"
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<PrometheusSeriesSelector, LineError> {
        var cursor = PrometheusLineCursor(bytes, from: 0, to: bytes.count)
        cursor.skipBlanks()
        var name = cursor.current == PrometheusByte.openBrace ? nil : cursor.name()
        var matchers: [Matcher] = []
        cursor.skipBlanks()
        if cursor.take(PrometheusByte.openBrace) {
            while true {
                cursor.skipBlanks()
                if cursor.take(PrometheusByte.closeBrace) { break }
                let label: String
                if cursor.current == PrometheusByte.quote {
                    guard let quoted = cursor.quoted() else { return .failure(LineError("unterminated quoted name")) }
                    cursor.skipBlanks()
                    if name == nil, matchers.isEmpty, !Self.atOperator(cursor) {
                        name = quoted
                        guard separator(&cursor) else { return .failure(LineError("expected , or } after the name")) }
                        continue
                    }
                    label = quoted
                } else {
                    guard let text = cursor.name(colons: false) else {
                        return .failure(LineError("expected a label name, found \(cursor.rest().prefix(20))"))
                    }
                    label = text
                }
                cursor.skipBlanks()
                guard let op = Self.matchOperator(&cursor) else {
                    return .failure(LineError("expected =, !=, =~ or !~ after \(label)"))
                }
                cursor.skipBlanks()
                guard let value = cursor.quoted() else {
                    return .failure(LineError("expected a double-quoted value for \(label)"))
                }
                var pattern: LabelPattern?
                if op == .matches || op == .notMatches {
                    guard let compiled = LabelPattern(value) else {
                        return .failure(LineError("\(label)\(op.rawValue)\"\(value)\" is not a regular expression"))
                    }
                    pattern = compiled
                }
                matchers.append(Matcher(label: label, op: op, value: value, pattern: pattern))
                guard separator(&cursor) else { return .failure(LineError("expected , or } after \(label)")) }
            }
        }
        cursor.skipBlanks()
        guard cursor.atEnd else { return .failure(LineError("unexpected \"\(cursor.rest())\" after the selector")) }
        guard let name, !name.isEmpty else {
            return .failure(LineError("expected a metric name like nodejs_heap_size_used_bytes"))
        }
        return .success(PrometheusSeriesSelector(name: name, matchers: matchers))
    }

    private static func atOperator(_ cursor: PrometheusLineCursor) -> Bool {
        cursor.current == PrometheusByte.equals || cursor.current == UInt8(ascii: "!")
    }

    private static func matchOperator(_ cursor: inout PrometheusLineCursor) -> Matcher.Operator? {
        if cursor.take(PrometheusByte.equals) {
            return cursor.take(UInt8(ascii: "~")) ? .matches : .equal
        }
        guard cursor.take(UInt8(ascii: "!")) else { return nil }
        if cursor.take(PrometheusByte.equals) { return .notEqual }
        return cursor.take(UInt8(ascii: "~")) ? .notMatches : nil
    }

    private static func separator(_ cursor: inout PrometheusLineCursor) -> Bool {
        cursor.skipBlanks()
        return cursor.take(PrometheusByte.comma) || cursor.current == PrometheusByte.closeBrace
    }
}

/// A selector that cannot be read, for the profile validator to name.
package struct PrometheusSelectorError: Error, Equatable, CustomStringConvertible {
    package var selector: String
    package var reason: String

    package var description: String { "\"\(selector)\": \(reason)" }
}

/// A compiled `=~` pattern. The standard library's `Regex` is close to RE2 for the patterns
/// people put in selectors (alternation, classes, `.*`); like PromQL it matches the whole value.
struct LabelPattern: @unchecked Sendable {
    // Regex holds no shared mutable state once compiled; matching from several threads is safe.
    private let regex: Regex<AnyRegexOutput>

    init?(_ pattern: String) {
        guard let regex = try? Regex(pattern) else { return nil }
        self.regex = regex
    }

    func matchesWhole(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }
}
