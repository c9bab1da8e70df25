/// Ends `soak run` and `soak report`: judges the folder, writes the reports, prints the verdict
/// table and picks the exit code.
import SoakAnalysis
import SoakReports
import SoakRun

enum RunVerdictPrinter {
    /// With `saving` false the verdict is printed but no file is written (the run is still going,
    /// and its harness writes them when it ends).
    /// `manifest` and `samples` are the run's final record when this process ran it, so neither
    /// `run.json` nor `samples.csv` is read back.
    static func conclude(
        folder: RunFolder, manifest: RunManifest? = nil, samples: LiveSamples? = nil,
        thresholds: [Metric: Threshold] = [:], saving: Bool = true
    ) throws(CommandError) -> ExitCode {
        let judgement: RunJudge.Judgement
        do {
            judgement = try RunJudge.judge(folder, manifest: manifest, samples: samples, thresholds: thresholds)
        } catch {
            throw CommandError(error.description)
        }
        let summary = judgement.summary
        var written: [String] = []
        var writeProblem: String?
        do {
            if saving { written = try RunReports.write(judgement, to: folder) }
        } catch {
            writeProblem = "\(error)"
        }
        let integrity = summary.integrity
        var lines = ["run folder: \(folder.path)"]
        if integrity.cycles > 0 {
            lines.append("integrity: \(integrity.validCycles)/\(integrity.cycles) cycles as designed")
        }
        if !summary.analysis.metrics.isEmpty {
            lines.append(VerdictTable.render(summary))
        }
        if summary.analysis.droppedPartialLastLine {
            lines.append("note: the last line of samples.csv was cut off mid-write and was left out")
        }
        if !written.isEmpty {
            lines.append("wrote " + written.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
                .joined(separator: ", "))
        }
        if let writeProblem {
            // CI reads junit.xml and summary.json: a verdict whose files are missing is not one a
            // build may pass on, whatever the numbers say.
            lines.append("verdict: INVALID: the reports could not all be written (\(writeProblem)); what was "
                + "recorded judges \(summary.verdict.rawValue): \(summary.verdictReason)")
        } else {
            lines.append("verdict: \(summary.verdict.rawValue.uppercased()): \(summary.verdictReason)"
                + (summary.clock.map { "; clock: " + $0 } ?? ""))
        }
        if let load = summary.load { lines.append(load.line) }
        Output.out(lines.joined(separator: "\n"))
        if GitHubActions.isActive { annotate(summary, folder: folder) }
        if writeProblem != nil { return .failed }
        return summary.verdict.exitCode
    }

    /// One `::error` per leaking metric (or one for a run that could not be judged), a warning
    /// when the harness itself grows, and the Markdown summary on the job page.
    static func annotate(_ summary: RunSummary, folder: RunFolder) {
        let title = "soak \(summary.profile)"
        switch summary.verdict {
        case .pass:
            break
        case .leak:
            let culprits = WhereText.lines(summary)
            let whereText = culprits.isEmpty ? "" : "; growing: " + culprits.joined(separator: "; ")
            for metric in summary.analysis.leaks where metric.metric.decidesVerdict {
                GitHubActions.error("\(metric.metric.rawValue) leaks: \(metric.reason)\(whereText)",
                                    title: "\(title): leak")
            }
        case .invalid, .crashed, .interrupted, .inconclusive:
            GitHubActions.error(summary.verdictReason, title: "\(title): \(summary.verdict.rawValue)")
        }
        for metric in summary.analysis.leaks where !metric.metric.decidesVerdict {
            GitHubActions.warning("\(metric.metric.rawValue) grows (warns only): \(metric.reason)",
                                  title: "\(title): \(metric.metric.rawValue)")
        }
        if let markdown = try? String(contentsOfFile: folder.summaryMarkdown, encoding: .utf8) {
            GitHubActions.appendStepSummary(markdown)
        }
    }
}
