#if canImport(Glibc)
import Glibc
#endif

/// Byte-level pieces shared by the request and response parsers: finding the end of a
/// message head, splitting it into lines and reading header fields.
///
/// Works on raw buffer pointers and uses memchr (vectorised in glibc) to jump between line
/// feeds, so scanning a head costs a few instructions per line, not per byte.
enum HeadScanner {
    static let carriageReturn = UInt8(ascii: "\r")
    static let lineFeed = UInt8(ascii: "\n")

    /// The outcome of looking for the blank line that ends a head.
    enum Search: Equatable {
        /// The head, including its final CRLFCRLF, is this many bytes long.
        case complete(headLength: Int)
        /// No end yet; resume the search at this offset when more bytes arrive.
        case incomplete(resumeAt: Int)
        /// Lines end in a bare LF, which we refuse rather than guess at (request smuggling).
        case bareLineFeed
    }

    /// Looks for CRLFCRLF in `bytes`, starting at `resumeAt` (earlier bytes were already searched).
    static func findEnd(in bytes: UnsafeBufferPointer<UInt8>, resumeAt: Int) -> Search {
        guard let base = bytes.baseAddress else { return .incomplete(resumeAt: 0) }
        var index = resumeAt
        while index < bytes.count {
            guard let hit = memchr(base + index, Int32(lineFeed), bytes.count - index) else { break }
            let feed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if feed >= 1 && bytes[feed - 1] != carriageReturn {
                return .bareLineFeed
            }
            if feed >= 3 && bytes[feed - 2] == lineFeed && bytes[feed - 3] == carriageReturn {
                return .complete(headLength: feed + 1)
            }
            index = feed + 1
        }
        return .incomplete(resumeAt: bytes.count)
    }

    /// Calls `body` with the bounds of each CRLF-terminated line in `head` (a head without
    /// its final blank line); a stray CR or LF inside a line is a 400.
    static func forEachLine(
        in head: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>) throws(HTTPParseError) -> Void
    ) throws(HTTPParseError) {
        guard let base = head.baseAddress else { return }
        var start = 0
        while start < head.count {
            var end = head.count
            if let hit = memchr(base + start, Int32(lineFeed), head.count - start) {
                let feed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                guard feed > start, head[feed - 1] == carriageReturn else {
                    throw .badRequest("header lines must end with CRLF")
                }
                end = feed - 1
            }
            if memchr(base + start, Int32(carriageReturn), end - start) != nil {
                throw .badRequest("stray carriage return inside a header line")
            }
            try body(start..<end)
            start = end + 2
        }
    }

    /// Parses "Name: value" from `head[line]` and appends it to `headers`.
    static func parseField(
        _ head: UnsafeBufferPointer<UInt8>,
        line: Range<Int>,
        into headers: inout HTTPHeaders
    ) throws(HTTPParseError) {
        let first = head[line.lowerBound]
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            throw .badRequest("obsolete header line folding is not accepted")
        }
        guard let colon = head[line].firstIndex(of: UInt8(ascii: ":")), colon > line.lowerBound else {
            throw .badRequest("header line without a name and colon: \(preview(head, line))")
        }
        let nameBytes = UnsafeBufferPointer(rebasing: head[line.lowerBound..<colon])
        guard nameBytes.allSatisfy(isTokenCharacter) else {
            throw .badRequest("invalid header name: \(preview(head, line.lowerBound..<colon))")
        }
        let value = trimmed(head[(colon + 1)..<line.upperBound])
        for byte in value where (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
            throw .badRequest("control character in header \(String(decoding: nameBytes, as: UTF8.self))")
        }
        headers.add(
            name: String(decoding: nameBytes, as: UTF8.self),
            value: String(decoding: UnsafeBufferPointer(rebasing: value), as: UTF8.self)
        )
    }

    /// Parses a Content-Length value: digits only, no sign, no overflow.
    static func parseContentLength(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }

    /// RFC 9110 `tchar`: the characters allowed in methods and header names.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Up to 60 bytes of `head[range]` as text, for error messages that show what was sent.
    static func preview(_ head: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + 60)
        let text = String(decoding: UnsafeBufferPointer(rebasing: head[shown]), as: UTF8.self)
        let escaped = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        return "\"" + escaped + (shown.count < range.count ? "...\"" : "\"")
    }
}
