import FoundationEssentials
import SoakRun

/// What `soak` adds when it runs as a GitHub Actions step (`GITHUB_ACTIONS=true`): workflow
/// commands that annotate the run, and Markdown appended to the job summary.
///
/// Annotations go to stdout, where the runner picks workflow commands up; the job summary is
/// the file `$GITHUB_STEP_SUMMARY` names.
package enum GitHubActions {
    /// True inside a GitHub Actions job.
    package static var isActive: Bool { environment("GITHUB_ACTIONS") == "true" }

    /// An `::error` annotation (shown red on the run and the pull request).
    package static func error(_ message: String, title: String) {
        annotate("error", message, title: title)
    }

    /// A `::warning` annotation.
    package static func warning(_ message: String, title: String) {
        annotate("warning", message, title: title)
    }

    /// Appends `markdown` to the job summary; does nothing outside Actions or without the file.
    package static func appendStepSummary(_ markdown: String) {
        guard isActive, let path = environment("GITHUB_STEP_SUMMARY"), !path.isEmpty,
              let file = try? LineFile(path: path) else { return }
        _ = file.append(markdown.hasSuffix("\n") ? markdown : markdown + "\n")
    }

    /// The text of an annotation line, escaped as the runner expects.
    static func command(_ kind: String, _ message: String, title: String) -> String {
        "::\(kind) title=\(escapeProperty(title))::\(escapeData(message))"
    }

    private static func annotate(_ kind: String, _ message: String, title: String) {
        guard isActive else { return }
        Output.out(command(kind, message, title: title))
    }

    // The runner's escaping rules: data escapes %, CR, LF; properties also : and ,.
    private static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D")
            .replacing("\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name]
    }
}
