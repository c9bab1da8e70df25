/// Reads a subcommand's flags and positional arguments, with errors that name the flag and
/// what it expects.
import SoakUnits

struct CommandArguments {
    private var remaining: [String]
    let command: String

    init(_ arguments: [String], command: String) {
        remaining = arguments
        self.command = command
    }

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { remaining.contains("--help") || remaining.contains("-h") }

    /// Whether `flag` is among the arguments left, without removing it.
    func has(_ flag: String) -> Bool { remaining.contains(flag) }

    /// Removes and returns the value of `flag`, or nil when absent.
    mutating func value(_ flag: String) throws(CommandError) -> String? {
        guard let index = remaining.firstIndex(of: flag) else { return nil }
        guard index + 1 < remaining.count, !remaining[index + 1].hasPrefix("--") else {
            throw CommandError("\(command): \(flag) needs a value")
        }
        let value = remaining[index + 1]
        remaining.removeSubrange(index...(index + 1))
        return value
    }

    /// Removes every value of a repeatable `flag`.
    mutating func values(_ flag: String) throws(CommandError) -> [String] {
        var values: [String] = []
        while let value = try value(flag) { values.append(value) }
        return values
    }

    /// Removes `flag` and says whether it was there.
    mutating func flag(_ flag: String) -> Bool {
        guard let index = remaining.firstIndex(of: flag) else { return false }
        remaining.remove(at: index)
        return true
    }

    mutating func number(_ flag: String, expected: String) throws(CommandError) -> Double? {
        guard let text = try value(flag) else { return nil }
        guard let number = Double(text), number.isFinite, number > 0 else {
            throw CommandError("\(command): \(flag): expected \(expected), found \"\(text)\"")
        }
        return number
    }

    mutating func duration(_ flag: String) throws(CommandError) -> Duration? {
        guard let text = try value(flag) else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            throw CommandError("\(command): \(flag): expected a duration like \(DurationText.example), found \"\(text)\"")
        }
        return duration
    }

    /// The positional arguments left, after refusing any unknown flag.
    mutating func positionals(count range: ClosedRange<Int>, usage: String) throws(CommandError) -> [String] {
        if let unknown = remaining.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            throw CommandError("\(command): unknown option \(unknown)\nusage: \(usage)")
        }
        guard range.contains(remaining.count) else {
            throw CommandError("\(command): expected \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") argument(s), found \(remaining.count)\nusage: \(usage)")
        }
        return remaining
    }
}
