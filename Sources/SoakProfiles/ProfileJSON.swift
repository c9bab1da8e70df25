/// A parsed JSON value that remembers where it stood in the file, so profile errors can name
/// field paths and positions. Objects keep their members in file order, duplicates included, so
/// the loader can refuse a key given twice rather than silently keep one.
package struct ProfileJSON: Sendable {
    package enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number as written, so `42` stays an exact integer and `1e400` can be refused.
        case number(String)
        case string(String)
        case array([ProfileJSON])
        case object([Member])
    }

    /// One `"key": value` pair of an object.
    package struct Member: Sendable {
        package var key: String
        package var value: ProfileJSON

        package init(key: String, value: ProfileJSON) {
            self.key = key
            self.value = value
        }
    }

    package var kind: Kind
    /// Byte offset of the value's first character in the file.
    var offset: Int

    package init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// How the value reads in an error message after "found": strings quoted, numbers as
    /// written, containers by their kind.
    package var foundText: String {
        switch kind {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): Self.shortened(text)
        case .string(let text): Self.quoted(text)
        case .array(let items): items.isEmpty ? "an empty list" : "a list"
        case .object: "an object"
        }
    }

    /// The value as written, for a message about a value that read well but breaks a limit:
    /// `8388608TiB`, `1e30`; containers as `foundText` says them.
    var writtenText: String {
        switch kind {
        case .number(let text): Self.shortened(text)
        // Escaped and shortened as `quoted` does, without the quotes.
        case .string(let text): String(Self.quoted(text).dropFirst().dropLast())
        default: foundText
        }
    }

    /// `text` cut after 60 characters (a 5 MB number must not become a 5 MB message).
    static func shortened(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    /// `text` in double quotes, shortened past 60 characters and with control characters escaped.
    package static func quoted(_ text: String) -> String {
        var shown = ""
        for (index, character) in text.enumerated() {
            if index == 60 {
                shown += "…"
                break
            }
            switch character {
            case "\"": shown += "\\\""
            case "\\": shown += "\\\\"
            case "\n": shown += "\\n"
            case "\t": shown += "\\t"
            case "\r": shown += "\\r"
            case "\r\n": shown += "\\r\\n"  // one Character, which neither case above matches
            default:
                // Other control characters (a NUL) would reach the terminal as they are.
                if character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
                    scalar.value < 0x20 || scalar.value == 0x7F
                {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    shown += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    shown.append(character)
                }
            }
        }
        return "\"" + shown + "\""
    }
}

/// Where a byte offset falls in the file, counted the way editors count: lines and columns from 1,
/// columns in characters (Unicode scalars) rather than bytes.
struct TextPosition: Sendable, Equatable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(offset: Int, in bytes: [UInt8]) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count scalars, not UTF-8 continuation bytes.
                column += 1
            }
        }
        self.line = line
        self.column = column
    }
}
