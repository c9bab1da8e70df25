/// Percentages as written in profiles (`5%`, `12.5%`) and printed in reports (`5%`, `99.9%`).
///
/// Values are fractions: `5%` is `0.05`. The `%` sign is required so a tolerance of `5` (absolute)
/// cannot be mistaken for `5%`.
public enum Percentage {
    /// A short example for error messages ("expected a percentage like 5%").
    public static let example = "5%"

    /// The fraction `text` names (`"5%"` is 0.05), or nil when it is not a percentage.
    public static func parse(_ text: String) -> Double? {
        let scalars = DecimalLiteral.trimmedScalars(text)
        var index = 0
        guard let number = DecimalLiteral.scan(scalars, at: &index) else { return nil }
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        guard index == scalars.count - 1, scalars[index] == "%" else { return nil }
        return number.doubleValue / 100
    }

    /// A fraction as a percentage with at most `decimals` decimals: `format(0.05)` is `5%`,
    /// `format(0.99934, decimals: 2)` is `99.93%`.
    public static func format(_ fraction: Double, decimals: Int = 1) -> String {
        DecimalText.format(fraction * 100, decimals: decimals) + "%"
    }
}
