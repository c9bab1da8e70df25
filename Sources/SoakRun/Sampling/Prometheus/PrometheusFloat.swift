/// Sample values and timestamps as the exposition writes them: Go's float syntax.
///
/// `+Inf`, `-Inf`, `Inf`, `NaN` in any case (and `Infinity`), decimal and exponent forms, and Go's
/// hexadecimal floats. Anything else (`1,5`, `0x`, `12abc`, an empty token) is not a value.
enum PrometheusFloat {
    static func parse(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        var lowered = [UInt8]()
        lowered.reserveCapacity(token.count)
        for byte in token {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let lower = byte | 0x20
            let isLetter = lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
            guard isDigit || isLetter || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            else { return nil }
            lowered.append(isLetter ? lower : byte)
        }
        var unsigned = lowered[...]
        var negative = false
        if let sign = unsigned.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            unsigned = unsigned.dropFirst()
        }
        if unsigned.elementsEqual("inf".utf8) || unsigned.elementsEqual("infinity".utf8) {
            return negative ? -.infinity : .infinity
        }
        if unsigned.elementsEqual("nan".utf8) { return .nan }
        // The standard library parses decimal and hexadecimal floats exactly; it would also take
        // `nan(...)` and `infinity` spellings, handled above, so only numbers reach it here.
        guard let first = unsigned.first, first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return nil }
        return Double(String(decoding: lowered, as: UTF8.self))
    }
}
