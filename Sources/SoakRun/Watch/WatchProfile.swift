import FoundationEssentials
import SoakProfiles
import SoakUnits

/// The profile of a `soak watch` given no `--profile`: sample the subject (and send `--request`
/// paths to `--base-url`) every interval, judged with the shipped thresholds.
///
/// It is made as JSON text and read back through `ProfileLoader`, so it passes the same validator
/// as a file, and the same text goes into the run folder for `soak report`.
package enum WatchProfile {
    /// What the flags ask for.
    package struct Flags: Sendable {
        /// Time between cycles (trough samples, and requests when there are any).
        package var interval: Duration = .seconds(60)
        /// Time between periodic samples.
        package var every: Duration = .seconds(10)
        /// nil: until the subject goes or soak is stopped.
        package var duration: Duration?
        package var requests: [String] = []
        package var baseURL: String?

        package init() {}
    }

    /// The longest an open-ended watch may run: a year, or a million cycles (the profile limit).
    package static func openEndedDuration(interval: Duration) -> Duration {
        let year = Duration.seconds(365 * 86_400)
        return interval * 1_000_000 < year ? interval * 1_000_000 : year
    }

    /// The profile and its JSON; the error names the flag at fault.
    package static func make(
        for subject: WatchSubject, flags: Flags
    ) throws(ProfileError) -> (profile: Profile, json: String) {
        let duration = flags.duration ?? openEndedDuration(interval: flags.interval)
        let ending = flags.duration == nil
            ? "until it exits or soak is stopped" : "for \(DurationText.format(duration))"
        var command: [String: Any] = ["argv": ["(not started by soak)"], "ready": ["delay": "0s"]]
        if let baseURL = flags.baseURL { command["baseURL"] = baseURL }
        var scenario: [String: Any] = [
            "kind": flags.requests.isEmpty ? "sample-only" : "plain",
            "interval": DurationText.exact(flags.interval), "duration": DurationText.exact(duration),
            "warmup": "10%",
        ]
        if !flags.requests.isEmpty { scenario["requests"] = flags.requests }
        let object: [String: Any] = [
            "description": "soak watch of \(subject.description), \(ending)",
            "target": ["command": command],
            "scenario": scenario,
            "sampling": ["every": DurationText.exact(flags.every), "troughs": true],
        ]
        let json = PrettyJSON.render(object)
        do {
            let profile = try ProfileLoader.load(json: json, name: subject.folderName, file: "soak watch")
            return (profile, json)
        } catch {
            // The profile was made from flags, so its problems are said as the flags' problems:
            // `--duration` rather than `scenario.duration`, which the user never wrote.
            throw ProfileError(issues: error.issues.map { issue in
                var issue = issue
                issue.path = flagName(forField: issue.path)
                for (field, flag) in fieldFlags { issue.message = issue.message.replacing(field, with: flag) }
                return issue
            })
        }
    }

    /// The fields of the made profile that flags set, with their flags.
    static let fieldFlags = [
        ("scenario.duration", "--duration"), ("scenario.interval", "--interval"), ("sampling.every", "--every"),
        ("scenario.requests", "--request"), ("target.command.baseURL", "--base-url or --port"),
    ]

    /// The flag that set a field of the made profile; the field itself when no flag did.
    static func flagName(forField path: String) -> String {
        for (field, flag) in fieldFlags where path == field || path.hasPrefix(field + "[") || path.hasPrefix(field + ".") {
            return flag
        }
        return path
    }
}

/// Pretty JSON of plain values (strings, arrays, objects), keys sorted so the text is stable.
enum PrettyJSON {
    static func render(_ value: Any, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case let text as String:
            return quote(text)
        case let flag as Bool:
            return flag ? "true" : "false"
        case let list as [String]:
            return "[" + list.map(quote).joined(separator: ", ") + "]"
        case let object as [String: Any]:
            let members = object.keys.sorted().map { "\(inner)\(quote($0)): \(render(object[$0]!, indent: inner))" }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return quote("\(value)")
        }
    }

    /// `text` as a JSON string, escaped as every line of events.jsonl is.
    static func quote(_ text: String) -> String {
        var out = ""
        JSONLine.appendQuoted(text, to: &out)
        return out
    }
}
