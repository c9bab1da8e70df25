import FoundationEssentials
import Glibc

/// Decimal numbers parsed straight from CSV bytes, without building a String per field.
///
/// 700,000 rows of 24 columns are 17 million fields: `Double(String)` on each would take seconds.
/// Integers and short decimals (everything the harness writes) take the exact fast path (Clinger:
/// a mantissa below 2^53 scaled by an exactly representable power of ten is rounded once, so the
/// result is the correctly rounded double); anything longer goes through `strtod`.
enum CSVNumber {
    /// The outcome of reading one field.
    enum Value {
        case number(Double)
        /// Empty (or `nan`): a reading that was not taken.
        case missing
        case invalid
    }

    /// The common case in one pass: a plain integer or short decimal at `start`, directly followed
    /// by `,`, `\n` or `\r\n`. Returns the value (NaN for an empty field) and sets `delimiter` to
    /// the `,` or `\n` ending the field; nil when the field needs `parse` (spaces, quotes, exponents,
    /// long mantissas, text), and then `delimiter` is meaningless.
    ///
    /// Indices step with `&+=`: they stay inside `bytes` (every field ends in a delimiter), so an
    /// overflow check per byte would be dead weight in the loop every field of every row runs.
    @inline(__always)
    static func parseSimple(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, delimiter: inout Int) -> Double? {
        var index = start
        let negative = bytes[index] == minus
        if negative { index &+= 1 }
        var mantissa: UInt64 = 0
        let digitsStart = index
        while case let digit = bytes[index] &- zero, digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index &+= 1
        }
        var digits = index &- digitsStart
        var scale = 0
        if bytes[index] == dot {
            index &+= 1
            let fractionStart = index
            while case let digit = bytes[index] &- zero, digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index &+= 1
            }
            scale = index - fractionStart
            digits += scale
            if scale == 0 { return nil }
        }
        let end = bytes[index]
        if end == comma || end == newline {
            delimiter = index
        } else if end == carriageReturn, bytes[index + 1] == newline {
            delimiter = index + 1
        } else {
            return nil
        }
        if digits == 0 { return negative ? nil : .nan }
        // 15 digits always fit below 2^53, so the conversion is exact and the division rounds once.
        // Converting as a signed integer is the same value in one instruction (x86 has no unsigned one).
        guard digits <= 15, scale <= 22 else { return nil }
        var value = Double(Int64(bitPattern: mantissa))
        if scale > 0 { value /= powerOfTen(scale) }
        return negative ? -value : value
    }

    /// Parses `bytes[start..<end]`, ignoring surrounding spaces and double quotes.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Value {
        var start = start
        var end = end
        while start < end, bytes[start] == space || bytes[start] == quote { start += 1 }
        while end > start, bytes[end - 1] == space || bytes[end - 1] == quote { end -= 1 }
        if start == end { return .missing }

        var index = start
        let negative = bytes[index] == minus
        if negative || bytes[index] == plus { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < end, bytes[index] &- zero < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- zero) } else { exponent += 1 }
            if mantissa != 0 { digits += 1 }
            sawDigit = true
            index += 1
        }
        if index < end, bytes[index] == dot {
            index += 1
            while index < end, bytes[index] &- zero < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- zero)
                    exponent -= 1
                }
                if mantissa != 0 { digits += 1 }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return slowPath(bytes, start, end) }
        if index < end, bytes[index] | 0x20 == letterE {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == minus || bytes[index] == plus {
                exponentNegative = bytes[index] == minus
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < end, bytes[index] &- zero < 10 {
                if written < 10_000 { written = written * 10 + Int(bytes[index] &- zero) }
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return .invalid }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return slowPath(bytes, start, end) }
        guard digits <= 19, mantissa <= 1 << 53, exponent.magnitude <= 22 else {
            return slowPath(bytes, start, end)
        }
        var value = Double(mantissa)
        if exponent < 0 { value /= powerOfTen(-exponent) } else if exponent > 0 { value *= powerOfTen(exponent) }
        return .number(negative ? -value : value)
    }

    /// `strtod` for what the fast path declines: long mantissas, large exponents, `nan`.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Value {
        var text = [CChar](repeating: 0, count: end - start + 1)
        for i in start..<end { text[i - start] = CChar(bitPattern: bytes[i]) }
        return text.withUnsafeBufferPointer { buffer -> Value in
            var stop: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &stop)
            guard let stop, stop - UnsafeMutablePointer(mutating: buffer.baseAddress!) == end - start else {
                return .invalid
            }
            if value.isNaN { return .missing }
            return value.isFinite ? .number(value) : .invalid
        }
    }

    /// 10^exponent for 0...22, every one exactly a Double (5^22 < 2^53). A switch rather than a
    /// static array: a static is initialised lazily, and its `swift_once` check ran for every
    /// decimal field.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    private static let space = UInt8(ascii: " ")
    private static let quote = UInt8(ascii: "\"")
    private static let minus = UInt8(ascii: "-")
    private static let plus = UInt8(ascii: "+")
    private static let dot = UInt8(ascii: ".")
    private static let zero = UInt8(ascii: "0")
    private static let letterE = UInt8(ascii: "e")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
