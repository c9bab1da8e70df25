/// JSON text written by hand, for the places that write it on a hot path (the harness's event
/// log, `tenantd`'s stats answered after every step of a stepped clock) and cannot afford an
/// encoder's allocations per value.
public enum JSONText {
    /// Appends `value` as a JSON string: quoted, with quotes, backslashes and control characters
    /// escaped (RFC 8259, section 7).
    public static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        // Names and paths rarely need an escape: then the text goes in whole, not a scalar at a
        // time (the stepped clock writes the stats, type names and all, after every step).
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `value` as a JSON number: whole numbers without a fraction (`691200`, as `JSONEncoder`
    /// writes them), others in Swift's shortest exact form; `null` for infinities and NaN, which
    /// JSON cannot carry.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
