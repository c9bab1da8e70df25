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

    /// The input, and the offset of the next byte to read (the extensions in
    /// `ProfileJSONParser+*.swift` read them too).
    let bytes: [UInt8]
    var index = 0
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
}
