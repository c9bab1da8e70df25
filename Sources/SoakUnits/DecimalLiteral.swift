/// A non-negative decimal number as written in unit text (`1`, `1.5`, `.5`), kept exact so
/// `1.5h` is exactly 5,400 s rather than a binary approximation.
struct DecimalLiteral {
    /// The digits before the point.
    var whole: Int64
    /// The digits after the point, as written (at most 18 are kept; more cannot matter).
    var fraction: [Int]

    /// Reads a literal starting at `index`, moving `index` past it; nil when none is there.
    static func scan(_ scalars: [Unicode.Scalar], at index: inout Int) -> DecimalLiteral? {
        var whole: Int64 = 0
        var sawDigit = false
        while index < scalars.count, let digit = scalars[index].asciiDigit {
            let (times, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            whole = sum
            sawDigit = true
            index += 1
        }
        var fraction: [Int] = []
        if index < scalars.count, scalars[index] == "." {
            index += 1
            // `1.` is a typo more often than a number; insist on a digit after the point.
            guard index < scalars.count, scalars[index].asciiDigit != nil else { return nil }
            while index < scalars.count, let digit = scalars[index].asciiDigit {
                if fraction.count < 18 { fraction.append(digit) }
                sawDigit = true
                index += 1
            }
        }
        return sawDigit ? DecimalLiteral(whole: whole, fraction: fraction) : nil
    }

    /// The literal times `unit`, truncated to an integer; nil on overflow.
    func scaled(by unit: Int64) -> Int64? {
        let (wholePart, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        // Digit by digit, so no intermediate product overflows: 0.d1d2... × unit.
        var fractionPart: Int64 = 0
        var divisor: Int64 = 1
        for digit in fraction {
            guard divisor <= Int64.max / 10 else { break }
            divisor *= 10
            fractionPart += Int64(digit) * (unit / divisor)
                + Int64(digit) * (unit % divisor) / divisor
        }
        let (sum, overflow2) = wholePart.addingReportingOverflow(fractionPart)
        return overflow2 ? nil : sum
    }

    /// The literal as a `Double` (for percentages and scaled byte sizes).
    var doubleValue: Double {
        // Swift's own decimal reader is exact to the nearest double and ignores the C locale.
        let text = "\(whole)." + fraction.map(String.init).joined() + "0"
        return Double(text) ?? Double(whole)
    }

    /// The text's Unicode scalars without leading and trailing white space.
    static func trimmedScalars(_ text: String) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return scalars
    }
}

extension Unicode.Scalar {
    /// The value of an ASCII digit, nil for anything else (including other scripts' digits).
    fileprivate var asciiDigit: Int? {
        ("0"..."9").contains(self) ? Int(value - 48) : nil
    }
}
