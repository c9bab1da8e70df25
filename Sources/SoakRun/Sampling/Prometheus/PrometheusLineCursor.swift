private typealias Byte = PrometheusByte

/// Reads the tokens of one exposition line from its bytes: names, quoted strings, label sets and
/// floats. Every read checks its bounds and returns nil on anything unexpected, so garbage (binary
/// data, cut lines, a stray quote) is a skipped line and never a crash.
struct PrometheusLineCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    var position: Int
    /// One past the line's last byte (its newline and any carriage return excluded).
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end
    }

    var atEnd: Bool { position >= end }

    /// The byte at the cursor; nil at the end of the line.
    var current: UInt8? { position < end ? bytes[position] : nil }

    /// Skips spaces and tabs; returns whether any were skipped.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = position
        while position < end, bytes[position] == Byte.space || bytes[position] == Byte.tab { position += 1 }
        return position > start
    }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// A metric name `[a-zA-Z_:][a-zA-Z0-9_:]*`, or a label name when `colons` is false.
    mutating func name(colons: Bool = true) -> String? {
        let start = position
        while position < end {
            let byte = bytes[position]
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || byte == UInt8(ascii: "_") || (colons && byte == UInt8(ascii: ":"))
                || (isDigit && position > start)
            else { break }
            position += 1
        }
        guard position > start else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A double-quoted string with the format's escapes (`\\`, `\"`, `\n`). Another escaped
    /// character is kept with its backslash, as Prometheus itself does; nil when unterminated.
    mutating func quoted() -> String? {
        guard take(Byte.quote) else { return nil }
        let start = position
        var unescaped: [UInt8]? = nil
        while position < end {
            let byte = bytes[position]
            if byte == Byte.quote {
                let text = unescaped.map { String(decoding: $0, as: UTF8.self) }
                    ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == Byte.backslash {
                if unescaped == nil { unescaped = Array(bytes[start..<position]) }
                guard position + 1 < end else { return nil }
                switch bytes[position + 1] {
                case Byte.backslash: unescaped!.append(Byte.backslash)
                case Byte.quote: unescaped!.append(Byte.quote)
                case UInt8(ascii: "n"): unescaped!.append(Byte.newline)
                case let other: unescaped!.append(contentsOf: [Byte.backslash, other])
                }
                position += 2
                continue
            }
            unescaped?.append(byte)
            position += 1
        }
        return nil
    }

    /// What a `{...}` label set held: labels, and the metric name when it was written inside the
    /// braces as a quoted string (the UTF-8 syntax, `{"my.metric", job="x"}`).
    struct LabelSet {
        var labels: [PrometheusLabel] = []
        var quotedName: String?
    }

    /// A `{...}` label set, the cursor on its `{`. Blanks are allowed around every token and a
    /// trailing comma is accepted; a repeated label name is an error, as Prometheus treats it.
    mutating func labelSet() -> Result<LabelSet, LineError> {
        guard take(Byte.openBrace) else { return .failure(LineError("expected {")) }
        var set = LabelSet()
        var seen: Set<String> = []
        while true {
            skipBlanks()
            if take(Byte.closeBrace) { return .success(set) }
            let label: String
            if current == Byte.quote {
                guard let text = quoted() else { return .failure(LineError("unterminated quoted name")) }
                skipBlanks()
                if current != Byte.equals {
                    // A bare quoted string names the metric; only one, and only first.
                    guard set.quotedName == nil, set.labels.isEmpty else {
                        return .failure(LineError("quoted name \"\(text)\" is not followed by ="))
                    }
                    set.quotedName = text
                    guard expectSeparator() else { return .failure(LineError("expected , or } after the name")) }
                    continue
                }
                label = text
            } else {
                guard let text = name(colons: false) else {
                    return .failure(LineError("expected a label name or }"))
                }
                label = text
            }
            skipBlanks()
            guard take(Byte.equals) else { return .failure(LineError("expected = after label \(label)")) }
            skipBlanks()
            guard current == Byte.quote else { return .failure(LineError("expected a quoted value for label \(label)")) }
            guard let value = quoted() else { return .failure(LineError("unterminated value of label \(label)")) }
            guard seen.insert(label).inserted else { return .failure(LineError("label \(label) appears twice")) }
            set.labels.append(PrometheusLabel(label, value))
            guard expectSeparator() else { return .failure(LineError("expected , or } after label \(label)")) }
        }
    }

    /// After a label: blanks, then a comma (consumed) or a closing brace (left for the loop).
    private mutating func expectSeparator() -> Bool {
        skipBlanks()
        if take(Byte.comma) { return true }
        return current == Byte.closeBrace
    }

    /// The bytes up to the next blank or the end of the line.
    mutating func token() -> UnsafeBufferPointer<UInt8> {
        let start = position
        while position < end, bytes[position] != Byte.space, bytes[position] != Byte.tab { position += 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    /// The rest of the line as text.
    mutating func rest() -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[min(position, end)..<end]), as: UTF8.self)
        position = end
        return text
    }
}

/// Why one line was skipped.
struct LineError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The bytes the exposition grammar gives meaning to.
enum PrometheusByte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let equals = UInt8(ascii: "=")
    static let comma = UInt8(ascii: ",")
    static let hash = UInt8(ascii: "#")
}
