/// Ends `soak run` and `soak report`: judges the folder, writes the reports, prints the verdict
/// table and picks the exit code.
enum RunVerdictPrinter {
    static func conclude(
        folder: RunFolder, thresholds: [Metric: Threshold] = [:]
    ) throws(CommandError) -> ExitCode {
        let judgement: RunJudge.Judgement
        do {
            judgement = try RunJudge.judge(folder, thresholds: thresholds)
        } catch {
            throw CommandError(error.description)
        }
        let summary = judgement.summary
        var written: [String] = []
        do {
            written = try RunReports.write(judgement, to: folder)
        } catch {
            Output.err("warning: \(error)")
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
        lines.append("verdict: \(summary.verdict.rawValue.uppercased()): \(summary.verdictReason)")
        Output.out(lines.joined(separator: "\n"))
        return summary.verdict.exitCode
    }
}
