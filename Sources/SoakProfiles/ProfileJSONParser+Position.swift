/// Where the parser stands: peeking, skipping white space, and the text a message shows as "found".
extension ProfileJSONParser {
    /// Bytes of a bare word (`true`, a number, or `64KiB` written without quotes).
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    /// Whether the next byte is `byte`.
    func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    /// Steps over JSON white space.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// The text at the current position for "found ...": a word, one character, or the end.
    func describeHere() -> String {
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
