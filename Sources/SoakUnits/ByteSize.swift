/// Byte sizes as people write them (`512`, `64KiB`, `1MiB`, `2GiB`, `1.5MiB`, `1KB` = 1000) and as
/// reports print them (`812 B`, `64 KiB`, `3.1 MiB`).
///
/// Binary units (`KiB`, `MiB`, `GiB`, `TiB`) are powers of 1024; decimal units (`KB`, `MB`, `GB`, `TB`)
/// powers of 1000, because that is what the letters mean. `B` and no unit are bytes. A space between
/// number and unit is allowed, so printed sizes read back.
public enum ByteSize {
    /// A short example for error messages ("expected a byte size like 64KiB").
    public static let example = "64KiB"

    /// The number of bytes `text` names, or nil when it is not a size. Fractions are allowed
    /// (`1.5MiB`); the result is not rounded, so `0.5B` stays `0.5` for per-cycle thresholds.
    public static func parse(_ text: String) -> Double? {
        let scalars = DecimalLiteral.trimmedScalars(text)
        var index = 0
        guard let number = DecimalLiteral.scan(scalars, at: &index) else { return nil }
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        var unitText = ""
        unitText.unicodeScalars.append(contentsOf: scalars[index...])
        guard let multiplier = multipliers[unitText] else { return nil }
        let value = number.doubleValue * multiplier
        return value.isFinite ? value : nil
    }

    /// Short text for a byte count, binary units, one decimal: `812 B`, `64 KiB`, `3.1 MiB`, `-1.5 GiB`.
    ///
    /// Below 1 KiB whole counts print whole and fractions keep up to two decimals (`0.37 B`, a
    /// per-cycle slope); a value that rounds up to 1024 of a unit moves to the next (`1 MiB`).
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return DecimalText.format(bytes, decimals: 0) + " B" }
        let magnitude = bytes.magnitude
        if magnitude < 1024 {
            let decimals = magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : 2)
            let text = DecimalText.format(bytes, decimals: decimals)
            if Double(text).map({ $0.magnitude < 1024 }) ?? true { return text + " B" }
        }
        var unitIndex = 1
        var scaled = magnitude / 1024
        while scaled >= 1024, unitIndex < binaryUnits.count - 1 {
            scaled /= 1024
            unitIndex += 1
        }
        var text = DecimalText.format(scaled, decimals: 1)
        if text == "1024", unitIndex < binaryUnits.count - 1 {
            unitIndex += 1
            text = "1"
        }
        return (bytes < 0 ? "-" : "") + text + " " + binaryUnits[unitIndex]
    }

    /// `format` for an integer count.
    public static func format(_ bytes: Int) -> String { format(Double(bytes)) }

    private static let binaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    private static let multipliers: [String: Double] = [
        "": 1, "B": 1,
        "KiB": 1024, "MiB": 1_048_576, "GiB": 1_073_741_824, "TiB": 1_099_511_627_776,
        "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
        "kB": 1_000,
    ]
}
