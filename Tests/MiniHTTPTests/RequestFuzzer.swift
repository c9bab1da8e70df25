/// Mutated HTTP requests from a fixed seed, so every run sends the same inputs and a failure
/// names the case that reproduces it: random bytes, truncation, huge and many headers, bad
/// chunked bodies, Content-Length games, CR/LF variants and request-line oddities, applied up
/// to three at a time to a few well-formed requests (none at times, so some inputs stay valid
/// and the valid paths are fuzzed too).
struct RequestFuzzer {
    private var random: SplitMix64
    /// About the largest input: huge headers and targets reach it, to cross header limits.
    private let sizeLimit: Int

    /// A fuzzer whose inputs reach about `sizeLimit` bytes; pick it above the header limit
    /// under test (a parser-only test can keep it small, since debug builds append slowly).
    init(seed: UInt64, sizeLimit: Int = 40_000) {
        random = SplitMix64(seed: seed)
        self.sizeLimit = max(sizeLimit, 100)
    }

    private static let seeds = [
        "GET /t/acme/svc HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "HEAD /h?q=1 HTTP/1.1\r\nHost: h:80\r\nConnection: keep-alive\r\n\r\n",
    ]

    /// Bytes that parsers trip on.
    private static let awkward: [UInt8] = [0, 0x7F, 0xFF, 0x80, 13, 10, 32, 9, 58, 34, 0x2C, 0x3B]

    /// The next input.
    mutating func next() -> [UInt8] {
        var bytes = Array(pick(Self.seeds).utf8)
        for _ in 0..<number(in: 0...3) { mutate(&bytes) }
        return bytes
    }

    /// A number in `range`, from the seeded stream.
    mutating func number(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &random)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch Int.random(in: 0..<12, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[position(in: bytes)] = UInt8.random(in: 0...255, using: &random)
        case 1:
            let inserted = (0..<number(in: 1...8)).map { _ in pick(Self.awkward) }
            bytes.insert(contentsOf: inserted, at: position(in: bytes, orEnd: true))
        case 2 where !bytes.isEmpty:
            let start = position(in: bytes)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...20, using: &random)))
        case 3:
            bytes.removeSubrange(position(in: bytes, orEnd: true)...)
        case 4:
            bytes = replacing("\r\n", with: ["\n", "\r", "\r\r\n", "\n\r", "\r\n\r\n"], in: bytes)
        case 5:
            let value = String(repeating: "a", count: number(in: (sizeLimit * 2 / 5)...sizeLimit))
            insertHeaderLines(["X-Big: " + value], into: &bytes)
        case 6:
            let count = number(in: (sizeLimit / 130)...(sizeLimit / 33))
            insertHeaderLines((0..<count).map { "X-\($0): v" }, into: &bytes)
        case 7:
            let bodies = ["zz\r\nhello\r\n0\r\n\r\n", "-1\r\n\r\n", "ffffffffffffffffffff\r\nxx\r\n",
                          "5\r\nhelloXX\r\n0\r\n\r\n", "5;ext=\"\r\nhello\r\n", "0\r\n", "5\r\nhel"]
            insertHeaderLines(["Transfer-Encoding: chunked"], into: &bytes)
            bytes += Array(pick(bodies).utf8)
        case 8:
            let lengths = ["-1", "+5", "99999999999999999999", "5, 5", "", "0x10", " 5 ", "5\r\nContent-Length: 6"]
            insertHeaderLines(["Content-Length: " + pick(lengths)], into: &bytes)
        case 9:
            bytes = (0..<number(in: 1...200)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 10:
            bytes = replacing(" HTTP/1.", with: [" HTTP/2.", " http/1.", "  HTTP/1.", " HTTP/1.1 x HTTP/1."],
                              in: bytes)
        default:
            let target = "/" + String(repeating: "t", count: number(in: (sizeLimit / 40)...(sizeLimit / 2)))
            bytes = replacing(" /", with: [" " + target], in: bytes)
        }
    }

    private mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[number(in: 0...(choices.count - 1))]
    }

    private mutating func position(in bytes: [UInt8], orEnd: Bool = false) -> Int {
        let upper = orEnd ? bytes.count : bytes.count - 1
        return upper <= 0 ? 0 : Int.random(in: 0...upper, using: &random)
    }

    /// Puts `lines` right after the request line (or at the start if there is none).
    private func insertHeaderLines(_ lines: [String], into bytes: inout [UInt8]) {
        let text = lines.map { $0 + "\r\n" }.joined()
        let afterRequestLine = bytes.indices.dropLast().first { bytes[$0] == 13 && bytes[$0 + 1] == 10 }
        bytes.insert(contentsOf: Array(text.utf8), at: afterRequestLine.map { $0 + 2 } ?? 0)
    }

    /// Replaces every `pattern` with one of `replacements`, chosen once.
    private mutating func replacing(_ pattern: String, with replacements: [String], in bytes: [UInt8]) -> [UInt8] {
        let replacement = pick(replacements)
        let text = String(decoding: bytes, as: UTF8.self)
        // Invalid UTF-8 would not survive the round trip; leave such inputs as they are.
        guard Array(text.utf8) == bytes else { return bytes }
        return Array(text.replacing(pattern, with: replacement).utf8)
    }
}
