/// User input shown back in a message, clipped so one bad argument cannot make a 10,000-character
/// line: the start and the end, which is where people recognise a path, around an ellipsis.
public enum ClippedText {
    /// `text` when it has at most `limit` characters, else its first and last characters around
    /// `…` with the full length said (`/tmp/dddd…dddd/x (10306 characters)`).
    public static func clip(_ text: String, limit: Int = 120) -> String {
        guard text.count > limit else { return text }
        let tail = max(1, limit / 3)
        return "\(text.prefix(limit - tail))…\(text.suffix(tail)) (\(text.count) characters)"
    }
}
