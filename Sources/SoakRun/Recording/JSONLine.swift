import SoakUnits

/// Builds one JSON object as text, for `events.jsonl`: events are written on the hot path, so
/// they skip the encoder and its allocations.
package struct JSONLine {
    private var text = "{"

    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        field(key)
        JSONLine.appendQuoted(value, to: &text)
    }

    mutating func add(_ key: String, _ value: Int?) {
        guard let value else { return }
        field(key)
        text += String(value)
    }

    mutating func add(_ key: String, _ value: Double?) {
        guard let value, value.isFinite else { return }
        field(key)
        text += SampleRow.format(value)
    }

    mutating func add(_ key: String, _ value: Bool) {
        field(key)
        text += value ? "true" : "false"
    }

    /// The object with a trailing newline.
    var line: String { text + "}\n" }

    private mutating func field(_ key: String) {
        if text.utf8.count > 1 { text += "," }
        JSONLine.appendQuoted(key, to: &text)
        text += ":"
    }

    /// Appends `value` as a quoted JSON string (see `JSONText.appendQuoted`).
    package static func appendQuoted(_ value: String, to text: inout String) {
        JSONText.appendQuoted(value, to: &text)
    }
}
