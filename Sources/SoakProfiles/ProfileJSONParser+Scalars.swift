/// Numbers and the words `true`, `false` and `null`, with the hint for a unit written without quotes.
extension ProfileJSONParser {
    /// Reads a number as its text (converted where its unit is known).
    mutating func parseNumber() throws(SyntaxError) -> String {
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

    /// Reads `true`, `false` or `null`, refusing any other word.
    mutating func expectWord(_ word: String) throws(SyntaxError) {
        let start = index
        let expected = Array(word.utf8)
        var end = index
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        guard Array(bytes[start..<end]) == expected else {
            throw SyntaxError(offset: start, message: "expected a value, found \(describeHere())")
        }
        index = end
    }
}
