/// Locale-independent decimal text for numbers shown to people (reports, progress lines, errors).
///
/// `String(format:)` depends on the C locale and rounds in binary; this works on the shortest
/// decimal digits of the value (`Double.description`), so `0.15` rounds to `0.2` as a person
/// expects and the output is the same on every machine.
public enum DecimalText {
    /// `value` rounded half away from zero to `decimals` places; trailing zeros are dropped
    /// unless `keepZeros` is set. Never prints `-0`. Non-finite values print as `nan`, `inf`, `-inf`.
    public static func format(_ value: Double, decimals: Int, keepZeros: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let decimals = max(0, decimals)
        var (digits, pointIndex) = decimalDigits(of: value.magnitude)
        // Make sure at least one digit stands before the point so rounding has somewhere to carry.
        if pointIndex < 1 {
            digits = Array(repeating: 0, count: 1 - pointIndex) + digits
            pointIndex = 1
        }
        let keep = pointIndex + decimals
        if digits.count > keep {
            let roundUp = digits[keep] >= 5
            digits.removeSubrange(keep...)
            if roundUp && carry(&digits) {
                digits.insert(1, at: 0)
                pointIndex += 1
            }
        }
        let wanted = pointIndex + decimals
        if digits.count < wanted { digits += Array(repeating: 0, count: wanted - digits.count) }

        var integerPart = digits[..<pointIndex].drop { $0 == 0 }.map { Character(String($0)) }
        if integerPart.isEmpty { integerPart = ["0"] }
        var fraction = Array(digits[pointIndex...])
        if !keepZeros { while fraction.last == 0 { fraction.removeLast() } }
        let isZero = digits.allSatisfy { $0 == 0 }
        var text = (value < 0 && !isZero) ? "-" : ""
        text += String(integerPart)
        if !fraction.isEmpty { text += "." + fraction.map(String.init).joined() }
        return text
    }

    /// `value` with `significant` significant digits (at least), never in exponent form:
    /// `format(0.0123, significant: 2)` is `0.012`, `format(1234.5, significant: 2)` is `1235`.
    public static func format(_ value: Double, significant: Int) -> String {
        guard value.isFinite, value != 0 else { return format(value, decimals: 0) }
        let magnitude = Int((value.magnitude).log10Floor)
        let decimals = max(0, significant - 1 - magnitude)
        return format(value, decimals: decimals)
    }

    /// The shortest decimal digits of a non-negative finite value and where its point stands:
    /// `12.5` is `([1, 2, 5], 2)`, `0.03` is `([3], -1)`.
    private static func decimalDigits(of value: Double) -> (digits: [Int], pointIndex: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        var digits: [Int] = []
        var pointIndex: Int?
        for character in mantissa {
            if character == "." {
                pointIndex = digits.count
            } else if let digit = character.wholeNumberValue {
                digits.append(digit)
            }
        }
        var point = (pointIndex ?? digits.count) + exponent
        // Leading zeros ("0.03") carry no information; drop them and move the point instead.
        while digits.count > 1, digits.first == 0 {
            digits.removeFirst()
            point -= 1
        }
        return (digits, point)
    }

    /// Adds one to the last digit; true when the carry runs off the front (`99` became `00`).
    private static func carry(_ digits: inout [Int]) -> Bool {
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] < 9 {
                digits[index] += 1
                return false
            }
            digits[index] = 0
            index -= 1
        }
        return true
    }
}

extension Double {
    /// The floor of the base-10 logarithm of a positive value, computed without Foundation.
    fileprivate var log10Floor: Double {
        var exponent = 0.0
        var value = self
        while value >= 10 {
            value /= 10
            exponent += 1
        }
        while value < 1 {
            value *= 10
            exponent -= 1
        }
        return exponent
    }
}
