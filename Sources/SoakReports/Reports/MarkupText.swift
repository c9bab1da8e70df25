/// Escaping for text put into XML (junit.xml) and HTML (report.html), attribute or content alike.
///
/// Reasons and messages come from the target's stderr and from profiles, so they may hold
/// anything: markup characters are escaped, line breaks survive inside attributes (a plain
/// newline there would be normalised to a space), and characters XML 1.0 forbids outright (most
/// C0 controls) become U+FFFD, because one of them makes the whole file unreadable to a parser.
enum MarkupText {
    /// `text` escaped for an attribute value or element content. Line breaks and tabs are kept
    /// as they are in content and written as character references in attributes.
    static func escape(_ text: String, inAttribute: Bool = true) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n", "\r", "\t":
                if inAttribute {
                    result += "&#\(scalar.value);"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result.unicodeScalars.append("\u{FFFD}")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
