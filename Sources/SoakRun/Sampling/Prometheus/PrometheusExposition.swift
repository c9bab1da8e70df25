private typealias Byte = PrometheusByte

/// A page in the Prometheus text exposition format (0.0.4) or OpenMetrics 1.0, parsed by hand.
///
/// What it reads: `name{label="value",...} value [timestamp]` samples (labels with `\\`, `\"`
/// and `\n` escapes, blanks around tokens, a trailing comma; the quoted-name UTF-8 syntax
/// `{"my.metric"}`), `# HELP`, `# TYPE` and `# UNIT` lines, other comments (ignored), `+Inf`,
/// `-Inf` and `NaN` values, millisecond (0.0.4) or second (OpenMetrics) timestamps, exemplars
/// after ` # ` (ignored), CRLF line ends, and `# EOF`, after which nothing is read.
///
/// A line it cannot read is skipped and counted in `problems`; the rest of the page still counts.
/// No input makes it crash: every read is bounds-checked, nothing is force-unwrapped on data.
package struct PrometheusExposition: Sendable {
    /// The samples read, in page order.
    package private(set) var samples: [PrometheusSample] = []
    /// What the comment lines said, per family name.
    package private(set) var families: [String: PrometheusFamily] = [:]
    /// The first skipped lines, with why (at most `problemLimit`); `problemCount` counts all.
    package private(set) var problems: [PrometheusProblem] = []
    package private(set) var problemCount = 0
    /// Whether the page ended with OpenMetrics' `# EOF`.
    package private(set) var sawEOF = false

    static let problemLimit = 20

    /// Parses `text`; with `names`, keeps only samples with one of those names (the rest of each
    /// such line is not even read, which makes picking a few series from a large page cheap).
    package init(parsing text: String, keeping names: Set<String>? = nil) {
        var text = text
        self = text.withUTF8 { PrometheusExposition(parsing: $0, keeping: names) }
    }

    /// Parses the bytes of a page, as `init(parsing:keeping:)` for text.
    package init(parsing bytes: UnsafeBufferPointer<UInt8>, keeping names: Set<String>? = nil) {
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != Byte.newline { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == Byte.carriageReturn { lineEnd -= 1 }
            var cursor = PrometheusLineCursor(bytes, from: lineStart, to: lineEnd)
            lineStart = next
            if sawEOF {
                cursor.skipBlanks()
                if !cursor.atEnd { note(lineNumber, "text after # EOF is ignored") }
                continue
            }
            readLine(&cursor, number: lineNumber, keeping: names)
        }
    }

    /// The family a sample of this name belongs to: its own `# TYPE`, or the family it is a
    /// suffixed series of (`x_bucket` of histogram `x`); nil when no comment names either.
    package func family(ofSample name: String) -> (name: String, family: PrometheusFamily)? {
        if let family = families[name], !family.type.hasNoBareSample { return (name, family) }
        for (familyName, family) in families where name.hasPrefix(familyName) {
            let suffix = name.dropFirst(familyName.count)
            if family.type.sampleSuffixes.contains(where: { $0 == suffix }) { return (familyName, family) }
        }
        return nil
    }

    private mutating func readLine(_ cursor: inout PrometheusLineCursor, number: Int, keeping names: Set<String>?) {
        cursor.skipBlanks()
        guard let first = cursor.current else { return }
        if first == Byte.hash {
            readComment(&cursor, number: number)
            return
        }
        switch Self.sample(&cursor, keeping: names) {
        case .success(let sample?): samples.append(sample)
        case .success(nil): break
        case .failure(let error): note(number, error.reason)
        }
    }

    /// `# HELP name text`, `# TYPE name type`, `# UNIT name unit`, `# EOF`; anything else is a comment.
    private mutating func readComment(_ cursor: inout PrometheusLineCursor, number: Int) {
        cursor.position += 1
        cursor.skipBlanks()
        guard let keyword = cursor.name(colons: false) else { return }
        guard ["HELP", "TYPE", "UNIT"].contains(keyword) else {
            cursor.skipBlanks()
            if keyword == "EOF", cursor.atEnd { sawEOF = true }
            return
        }
        guard cursor.skipBlanks() else { return }
        guard let name = cursor.current == Byte.quote ? cursor.quoted() : cursor.name() else {
            note(number, "# \(keyword) without a metric name")
            return
        }
        cursor.skipBlanks()
        var family = families[name] ?? PrometheusFamily()
        switch keyword {
        case "HELP":
            family.help = Self.unescapeHelp(cursor.rest())
        case "UNIT":
            family.unit = cursor.rest()
        default:
            let text = cursor.rest()
            let word = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
            guard let type = PrometheusMetricType(rawValue: String(word)) else {
                note(number, "# TYPE \(name) has unknown type \"\(text)\"; read as untyped")
                return
            }
            family.type = type
        }
        families[name] = family
    }

    /// A sample line; nil when its name is not among `names`.
    private static func sample(
        _ cursor: inout PrometheusLineCursor, keeping names: Set<String>?
    ) -> Result<PrometheusSample?, LineError> {
        var name = cursor.current == Byte.openBrace ? nil : cursor.name()
        if let name, let names, !names.contains(name) { return .success(nil) }
        var labels: [PrometheusLabel] = []
        var blankAfterName = cursor.skipBlanks()
        if cursor.current == Byte.openBrace {
            switch cursor.labelSet() {
            case .failure(let error): return .failure(error)
            case .success(let set):
                if let quoted = set.quotedName {
                    guard name == nil else { return .failure(LineError("a metric name both before and inside {}")) }
                    if let names, !names.contains(quoted) { return .success(nil) }
                    name = quoted
                }
                labels = set.labels
            }
            blankAfterName = cursor.skipBlanks()
        }
        guard let name else { return .failure(LineError("expected a metric name")) }
        guard blankAfterName, !cursor.atEnd else {
            return .failure(LineError("expected a blank and a value after \(name)"))
        }
        guard let value = PrometheusFloat.parse(cursor.token()) else {
            return .failure(LineError("\(name): the value is not a number"))
        }
        var sample = PrometheusSample(name: name, labels: labels, value: value)
        cursor.skipBlanks()
        if let next = cursor.current, next != Byte.hash {
            guard let timestamp = PrometheusFloat.parse(cursor.token()), timestamp.isFinite else {
                return .failure(LineError("\(name): the timestamp is not a number"))
            }
            sample.timestamp = timestamp
            cursor.skipBlanks()
        }
        // An OpenMetrics exemplar (` # {trace_id="..."} 1`) may follow; it is not a reading.
        if let next = cursor.current, next != Byte.hash {
            return .failure(LineError("\(name): unexpected text after the value"))
        }
        return .success(sample)
    }

    /// Help text escapes only backslash and line feed.
    private static func unescapeHelp(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result += character == "n" ? "\n" : (character == "\\" ? "\\" : "\\\(character)")
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result += "\\" }
        return result
    }

    private mutating func note(_ line: Int, _ reason: String) {
        problemCount += 1
        if problems.count < Self.problemLimit { problems.append(PrometheusProblem(line: line, reason: reason)) }
    }
}
