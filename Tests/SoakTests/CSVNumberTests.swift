import Testing
@testable import SoakAnalysis

/// `CSVNumber` reads every field of a samples.csv from bytes; whatever path it takes (the one-pass
/// fast path, Clinger's exact case, or `strtod`), a number must come out bit for bit as
/// `Double(String)` reads it, or the report of a run would change with the parser.
@Suite("CSVNumber parses fields exactly as Double(String)")
struct CSVNumberTests {
    /// What a field read as, in a form tests can compare (bit patterns, so -0.0 and 0.0 differ).
    enum Reading: Equatable, CustomStringConvertible {
        case number(UInt64)
        case missing
        case invalid

        init(_ value: CSVNumber.Value) {
            switch value {
            case .number(let number): self = .number(number.bitPattern)
            case .missing: self = .missing
            case .invalid: self = .invalid
            }
        }

        /// The reading the rules ask for: `Double(String)`'s value, NaN as missing, infinities refused.
        init(expecting text: String) {
            guard !text.isEmpty else {
                self = .missing
                return
            }
            guard let value = Double(text) else {
                self = .invalid
                return
            }
            if value.isNaN {
                self = .missing
            } else {
                self = value.isFinite ? .number(value.bitPattern) : .invalid
            }
        }

        var description: String {
            switch self {
            case .number(let bits): "\(Double(bitPattern: bits))"
            case .missing: "missing"
            case .invalid: "invalid"
            }
        }
    }

    static func parse(_ text: String) -> Reading {
        let bytes = Array(text.utf8) + [UInt8(ascii: "\n")]
        return bytes.withUnsafeBufferPointer { Reading(CSVNumber.parse($0, 0, bytes.count - 1)) }
    }

    /// `parseSimple` on `text` followed by `terminator`: the value, or nil when it declines; also
    /// checks that it found the delimiter where the field ends, and that it reads the same at the
    /// end of a buffer as with more fields after it.
    static func parseSimple(_ text: String, terminator: String = ",") -> Double? {
        let atEnd = parseSimple(text, terminator: terminator, then: "")
        let followed = parseSimple(text, terminator: terminator, then: "12345678,90123456\n")
        #expect(atEnd?.bitPattern == followed?.bitPattern, "\(text.debugDescription) with or without more after it")
        return atEnd
    }

    static func parseSimple(_ text: String, terminator: String, then more: String) -> Double? {
        let bytes = Array((text + terminator + more).utf8)
        var delimiter = -1
        let value = bytes.withUnsafeBufferPointer { CSVNumber.parseSimple($0, 0, delimiter: &delimiter) }
        if value != nil {
            #expect(delimiter == (text + terminator).utf8.count - 1, "delimiter of \(text.debugDescription)")
        }
        return value
    }

    static let examples = [
        "0", "-0", "+0", "7", "-7", "+7", "12345", "0.5", ".5", "5.", "-.5", "00012", "0.000",
        "52428800", "-4194304", "0.0001", "138.8888", "999999999999999", "9999999999999999",
        "9007199254740992", "9007199254740993", "18446744073709551615", "18446744073709551616",
        "123456789012345678901234567890", "0.1", "0.2", "0.3", "2.2250738585072014e-308", "4.9e-324",
        "1e-400", "1.7976931348623157e308", "1e308", "1e309", "1e22", "1e23", "1e-22", "1e-23", "1E5",
        "1e+5", "-1.5e-3", "3.14159265358979323846264338327950288", "0.30000000000000004",
        "1.00000000000000000000001", "0.000000000000000000000000000001",
        "100000000000000000000000000000000000000000000000000", "8.98846567431158e307",
        "1e", "1e+", "e5", ".", "-", "+", "--1", "1..2", "1.2.3", "1-", "12a", "abc", "nan", "NaN", "-nan",
        "inf", "-inf", "infinity", "0x1p3", "1_000",
    ]

    @Test("examples: integers, decimals, exponents, signs, long mantissas, text")
    func examplesMatchDoubleString() {
        for text in Self.examples {
            #expect(Self.parse(text) == Reading(expecting: text), "\(text.debugDescription)")
        }
    }

    @Test("spaces and double quotes around a number are not part of it; an empty field is missing")
    func trimming() {
        #expect(Self.parse("") == .missing)
        #expect(Self.parse("  ") == .missing)
        #expect(Self.parse("\"\"") == .missing)
        #expect(Self.parse(" 42 ") == .number(Double(42).bitPattern))
        #expect(Self.parse("\"-1.25\"") == .number(Double(-1.25).bitPattern))
    }

    @Test("the one-pass path gives Double(String)'s bits or declines, and finds the delimiter")
    func simplePath() throws {
        for text in Self.examples + ["", "1", "-1", "0.001", "123456789012345", "1234567890.12345"] {
            guard let value = Self.parseSimple(text) else { continue }
            if text.isEmpty {
                #expect(value.isNaN)
                continue
            }
            let expected = try #require(Double(text), "\(text.debugDescription) was taken but is no number")
            #expect(value.bitPattern == expected.bitPattern, "\(text.debugDescription)")
        }
        #expect(Self.parseSimple("12", terminator: "\n") == 12)
        #expect(Self.parseSimple("12", terminator: "\r\n") == 12)
        #expect(Self.parseSimple("12", terminator: "\r,") == nil)
        #expect(Self.parseSimple("12 ") == nil)
        #expect(Self.parseSimple("+12") == nil)
        #expect(Self.parseSimple("1e5") == nil)
        #expect(Self.parseSimple("-") == nil)
        #expect(Self.parseSimple("1.") == nil)
        #expect(Self.parseSimple("1234567890123456") == nil, "16 digits may not fit the exact path")
        #expect(Self.parseSimple("12345678901.2345") == 12345678901.2345)
        #expect(Self.parseSimple("00000000000000.5") == 0.5)
        #expect(Self.parseSimple("-0")?.sign == .minus)
    }

    @Test("a hundred thousand generated numbers read as Double(String) reads them")
    func generatedMatchDoubleString() {
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<100_000 {
            let text = random.numberText()
            #expect(Self.parse(text) == Reading(expecting: text), "\(text.debugDescription)")
            if let value = Self.parseSimple(text), let expected = Double(text) {
                #expect(value.bitPattern == expected.bitPattern, "\(text.debugDescription)")
            }
        }
    }
}

/// Texts from the analysis's own seeded generator, so a failure names a text that comes back on
/// every run.
extension SplitMix64 {
    fileprivate mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    fileprivate mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }

    /// Decimal text of every shape a CSV field could take: signs, leading zeros, 0 to 30 digits
    /// either side of the point (past 2^53 and past 19 digits), exponents near the exact range's
    /// edge (±22) and far outside it.
    fileprivate mutating func numberText() -> String {
        var text = ["", "-", "+", ""][below(4)]
        if below(8) == 0 { text += String(repeating: "0", count: below(4)) }
        let whole = [0, 1, 3, 7, 15, 16, 17, 19, 20, 30][below(10)]
        text += digits(below(whole + 1))
        if below(2) == 0 {
            text += "."
            text += digits(below([2, 6, 16, 25][below(4)] + 1))
        }
        if below(4) == 0 {
            text += below(2) == 0 ? "e" : "E"
            text += ["", "-", "+"][below(3)]
            text += String([0, 5, 21, 22, 23, 30, 300, 330][below(8)] + below(3))
        }
        return text
    }
}
