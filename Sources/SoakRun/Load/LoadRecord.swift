import SoakUnits

/// What the background load did, in run.json and summary.json (`load`). It sits beside the
/// scenario's own request counts and integrity, never inside them.
package struct LoadRecord: Codable, Sendable, Equatable {
    /// `requests` (the harness's own) or `command` (a program of the user's).
    package var form: String
    package var connections: Int?
    package var perSecond: Double?
    /// The harness's own load's counts; nil for a command, whose requests the harness never sees.
    package var totals: LoadTotals?
    /// The load command as started, placeholders filled in.
    package var command: [String]?
    package var pid: Int32?
    /// How the load command ended; nil while it runs.
    package var exit: TargetExit?
    /// True when the command ended by itself before the run did, rather than by the teardown.
    package var endedEarly = false
    /// Why the load never started; nil when it did.
    package var startFailure: String?

    enum CodingKeys: String, CodingKey {
        case form, connections, totals, command, pid, exit
        case perSecond = "per_second"
        case endedEarly = "ended_early"
        case startFailure = "start_failure"
    }

    package init(form: String) { self.form = form }

    /// Why the load did not load the target, which makes the run INVALID: a soak "under load"
    /// whose load never reached the target measured an idle one. Nil when it did its job.
    package var problem: String? {
        if let startFailure { return "the background load never started: \(startFailure)" }
        if let totals, totals.succeeded == 0 {
            let first = totals.firstFailure.map { " (first failure: \($0))" } ?? ""
            let what = totals.sent == 0 ? "no request was sent" : "none of its \(totals.sent) requests succeeded"
            return "the background load reached nothing: \(what)\(first), so the target was never under load"
        }
        if endedEarly, let exit, exit != .exited(status: 0) {
            return "the load command \(exit) before the run ended; see load.stderr.log"
        }
        return nil
    }

    /// One line for under the verdict.
    package var line: String { "load: " + summaryText }

    /// What the load was and did, as the reports' "load" fact and the verdict's load line say it.
    package var summaryText: String {
        var text = ""
        if let command {
            text += ProcessText.commandLine(command) + (pid.map { " (pid \($0))" } ?? "")
            if let startFailure { return text + ": never started: \(startFailure)" }
            if endedEarly {
                text += ", \(exit.map(\.description) ?? "ended") before the run did"
            } else if let exit {
                text += ", stopped at the end (\(exit))"
            }
            return text + "; its memory in load_rss (warns only), its output in load.stderr.log"
        }
        text += "\(connections ?? 1) connection(s) at \(DecimalText.format(perSecond ?? 0, significant: 4))/s"
        guard let totals else { return text }
        text += ": \(totals.sent) sent, \(totals.failed) failed"
        if let first = totals.firstFailure { text += " (first: \(first))" }
        if let p50 = totals.latencyP50Milliseconds, let p99 = totals.latencyP99Milliseconds {
            text += ", latency p50 \(DecimalText.format(p50, decimals: 2)) ms, p99 \(DecimalText.format(p99, decimals: 2)) ms"
        }
        return text
    }
}

/// A command line as a person would type it, for messages.
enum ProcessText {
    static func commandLine(_ argv: [String]) -> String {
        argv.map { word in
            word.isEmpty || word.contains(where: { " \"'$\\".contains($0) }) ? "'\(word)'" : word
        }.joined(separator: " ")
    }
}
