extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (Foundation's
    /// `trimmingCharacters(in:)` lives in the part of Foundation the harness does not link).
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
