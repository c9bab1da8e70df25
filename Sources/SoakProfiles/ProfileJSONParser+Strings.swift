/// Strings: the quoted text, its escapes and `\u` code units, with UTF-16 surrogate pairs joined.
extension ProfileJSONParser {
    /// Reads a string starting at its opening quote, escapes decoded.
    mutating func parseString() throws(SyntaxError) -> String {
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
                defer { index += 1 }
                // Most strings have no escape: one decode, without a scalar at a time. A stepped
                // run parses the target's stats after every step, thousands of times.
                if scalars.isEmpty { return String(decoding: bytes[runStart..<index], as: UTF8.self) }
                scalars.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars)
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
}
