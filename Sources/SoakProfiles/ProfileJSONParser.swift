/// A strict RFC 8259 reader for profile files that reports the line and column of a syntax error.
///
/// Foundation's `JSONSerialization` loses key order and duplicates and its messages vary between
/// platforms; profiles need both for clear errors, and the files are small.
package struct ProfileJSONParser {
    /// A syntax error at a byte offset.
    package struct SyntaxError: Error {
        package var offset: Int
        package var message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 64

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON value filling the whole input (white space aside).
    package mutating func parseDocument() throws(SyntaxError) -> ProfileJSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw SyntaxError(offset: index, message: "expected the end of the file after the top-level value, "
                + "found \(describeHere())")
        }
        return value
    }

    private mutating func parseValue() throws(SyntaxError) -> ProfileJSON {
        guard index < bytes.count else {
            throw SyntaxError(offset: index, message: "expected a value, found the end of the file")
        }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return try nested { (parser) throws(SyntaxError) in try parser.parseObject(start) }
        case UInt8(ascii: "["): return try nested { (parser) throws(SyntaxError) in try parser.parseArray(start) }
        case UInt8(ascii: "\""): return ProfileJSON(kind: .string(try parseString()), offset: start)
        case UInt8(ascii: "t"): try expectWord("true"); return ProfileJSON(kind: .bool(true), offset: start)
        case UInt8(ascii: "f"): try expectWord("false"); return ProfileJSON(kind: .bool(false), offset: start)
        case UInt8(ascii: "n"): try expectWord("null"); return ProfileJSON(kind: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return ProfileJSON(kind: .number(try parseNumber()), offset: start)
        case UInt8(ascii: "/"):
            throw SyntaxError(offset: index, message: "comments are not allowed in JSON")
        default:
            throw SyntaxError(offset: index, message: "expected a value, found \(describeHere())")
        }
    }

    private mutating func nested(
        _ body: (inout ProfileJSONParser) throws(SyntaxError) -> ProfileJSON
    ) throws(SyntaxError) -> ProfileJSON {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            throw SyntaxError(offset: index, message: "nested deeper than \(Self.maximumDepth) levels")
        }
        return try body(&self)
    }

    private mutating func parseObject(_ start: Int) throws(SyntaxError) -> ProfileJSON {
        index += 1
        var members: [ProfileJSON.Member] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return ProfileJSON(kind: .object(members), offset: start)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                let what = peek(UInt8(ascii: "}")) ? "a trailing comma, which JSON does not allow" : describeHere()
                throw SyntaxError(offset: index, message: "expected a field name in double quotes, found \(what)")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw SyntaxError(
                    offset: index, message: "expected \":\" after the field name, found \(describeHere())")
            }
            index += 1
            skipWhitespace()
            members.append(ProfileJSON.Member(key: key, value: try parseValue()))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "}")) {
                index += 1
                return ProfileJSON(kind: .object(members), offset: start)
            } else {
                let hint = peek(UInt8(ascii: "\"")) ? " (a missing comma?)" : ""
                throw SyntaxError(
                    offset: index, message: "expected \",\" or \"}\" after a field, found \(describeHere())" + hint)
            }
        }
    }

    private mutating func parseArray(_ start: Int) throws(SyntaxError) -> ProfileJSON {
        index += 1
        var items: [ProfileJSON] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return ProfileJSON(kind: .array(items), offset: start)
        }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                throw SyntaxError(offset: index, message: "expected a value, found a trailing comma, "
                    + "which JSON does not allow")
            }
            items.append(try parseValue())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "]")) {
                index += 1
                return ProfileJSON(kind: .array(items), offset: start)
            } else {
                throw SyntaxError(offset: index, message: "expected \",\" or \"]\" in a list, found \(describeHere())"
                    + (peek(UInt8(ascii: "\"")) ? " (a missing comma?)" : ""))
            }
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        while true {
            guard index < bytes.count else {
                throw SyntaxError(offset: start, message: "a string that never ends (missing closing \")")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 {
                throw SyntaxError(offset: index, message: byte == UInt8(ascii: "\n")
                    ? "a line break inside a string (write \\n)" : "a control character inside a string")
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars)
                scalars.append(try parseEscape())
                runStart = index
                continue
            }
            index += 1
        }
    }

    /// Reads one escape starting at the backslash.
    private mutating func parseEscape() throws(SyntaxError) -> Unicode.Scalar {
        let start = index
        index += 1
        guard index < bytes.count else {
            throw SyntaxError(offset: start, message: "a string that never ends (missing closing \")")
        }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4(escapeStart: start)
            if (0xD800..<0xDC00).contains(high) {
                // A UTF-16 surrogate pair spelled as two escapes.
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try parseHex4(escapeStart: start)
                    if (0xDC00..<0xE000).contains(low),
                        let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    {
                        return scalar
                    }
                }
                throw SyntaxError(offset: start, message: "an unpaired UTF-16 surrogate in a \\u escape")
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw SyntaxError(offset: start, message: "an unpaired UTF-16 surrogate in a \\u escape")
            }
            return scalar
        default:
            let shown = Character(Unicode.Scalar(letter))
            throw SyntaxError(offset: start, message: "an unknown escape \\\(shown) in a string")
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else {
            throw SyntaxError(offset: escapeStart, message: "a \\u escape needs four hex digits")
        }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Self.hexValue(byte) else {
                throw SyntaxError(offset: escapeStart, message: "a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
        }
        index += 4
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        let integerStart = index
        guard skipDigits() > 0 else {
            throw SyntaxError(offset: start, message: "a number needs digits after \"-\"")
        }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw SyntaxError(offset: start, message: "a number with a leading zero, which JSON does not allow")
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard skipDigits() > 0 else {
                throw SyntaxError(offset: start, message: "a number needs digits after the decimal point")
            }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard skipDigits() > 0 else {
                throw SyntaxError(offset: start, message: "a number needs digits in its exponent")
            }
        }
        if index < bytes.count, Self.isWordByte(bytes[index]) {
            // `64KiB` without quotes: say what was probably meant.
            while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            throw SyntaxError(offset: start, message: "expected a value, found \(word) (text with units "
                + "goes in double quotes: \"\(word)\")")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func expectWord(_ word: String) throws(SyntaxError) {
        let start = index
        let expected = Array(word.utf8)
        var end = index
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        guard Array(bytes[start..<end]) == expected else {
            throw SyntaxError(offset: start, message: "expected a value, found \(describeHere())")
        }
        index = end
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// The text at the current position for "found ...": a word, one character, or the end.
    private func describeHere() -> String {
        guard index < bytes.count else { return "the end of the file" }
        var end = index
        if bytes[index] == UInt8(ascii: "\"") {
            // A string token reads best as written, quotes included: `found "target"`.
            end += 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\n"),
                end - index < 40
            {
                end += 1
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") { end += 1 }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }
        while end < bytes.count, Self.isWordByte(bytes[end]), end - index < 40 { end += 1 }
        if end == index {
            // One character, possibly several UTF-8 bytes.
            end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        }
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        return "\"" + text + "\""
    }
}
