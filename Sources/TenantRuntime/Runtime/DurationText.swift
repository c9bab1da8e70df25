/// Durations as people write them on a command line: `90s`, `1m`, `30m`, `8d`, `250ms`, `1h30m`.
enum DurationText {
    /// Parses `text`; nil when it is not a duration.
    static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var number = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let value = Double(number), value >= 0 else { return false }
            let seconds: Double
            switch unit {
            case "ms": seconds = value / 1000
            case "s": seconds = value
            case "m": seconds = value * 60
            case "h": seconds = value * 3600
            case "d": seconds = value * 86400
            default: return false
            }
            total += .nanoseconds(Int64((seconds * 1e9).rounded()))
            number = ""
            unit = ""
            sawAny = true
            return true
        }
        for character in text {
            if character.isNumber || character == "." {
                if !unit.isEmpty, !flush() { return nil }
                number.append(character)
            } else if character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !number.isEmpty, flush() else { return nil }
        return sawAny ? total : nil
    }
}
