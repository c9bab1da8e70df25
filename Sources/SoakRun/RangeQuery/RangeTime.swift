import SoakUnits

/// The times `soak analyze --prometheus` takes for `--start` and `--end`: what Prometheus's own
/// API takes (Unix seconds, RFC 3339), plus `now` and `now-6h`, read against a clock the caller
/// passes in so tests fix it.
package enum RangeTime {
    /// An example for messages.
    package static let examples = "1733212800, 2026-12-03T07:00:00Z, now or now-6h"

    /// Unix seconds for `text`; nil when it is none of the accepted forms.
    package static func parse(_ text: String, now: Double) -> Double? {
        if text == "now" { return now }
        if text.hasPrefix("now-") {
            guard let ago = DurationText.parse(String(text.dropFirst(4))) else { return nil }
            return now - ago.secondsValue
        }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, text.first?.isNumber == true {
            return seconds
        }
        return rfc3339(text)
    }

    /// Unix seconds as the API takes them: whole seconds plain, otherwise up to milliseconds.
    package static func text(_ seconds: Double) -> String {
        if seconds == seconds.rounded(), abs(seconds) < 1e15 { return String(Int64(seconds)) }
        return DecimalText.format(seconds, decimals: 3)
    }

    /// `2026-12-03T07:00:00Z`, `2026-12-03T07:00:00.5+01:00` (a space or `t` for the `T`; `z`).
    static func rfc3339(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19), year >= 1970,
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            let digits = (index + 1)..<(bytes[(index + 1)...].firstIndex { $0 < 48 || $0 > 57 } ?? bytes.count)
            guard !digits.isEmpty, let value = Double("0." + String(decoding: bytes[digits], as: UTF8.self)) else {
                return nil
            }
            fraction = value
            index = digits.upperBound
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6))
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Days since 1970-01-01 of a Gregorian date from 1970 on, counted year by year (a loop of at
    /// most a few hundred steps for any date Prometheus holds).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var days = 0
        for earlier in stride(from: 1970, to: year, by: 1) { days += isLeap(earlier) ? 366 : 365 }
        for earlier in 0..<(month - 1) { days += monthDays[earlier] + (earlier == 1 && isLeap(year) ? 1 : 0) }
        return days + day - 1
    }
}
