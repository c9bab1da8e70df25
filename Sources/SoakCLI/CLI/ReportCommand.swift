/// `soak report DIR`: judges a run folder again (complete, running, interrupted or killed) and
/// rewrites its reports.
import SoakAnalysis
import SoakProfiles
import SoakRun

enum ReportCommand {
    static let usage = "soak report DIR [--threshold METRIC=PER_CYCLE[:FLOOR] ...]"
    static let help = """
        usage: \(usage)

        Re-runs the leak analysis on a run folder, whatever state it is in (complete, still running,
        interrupted, or with a harness that was killed), rewrites summary.json and the reports, and
        prints the verdict.
          DIR                                  a run folder made by soak run
          --threshold METRIC=PER_CYCLE[:FLOOR] override a metric's leak threshold (repeatable), e.g.
                                               heap_in_use=64B:64KiB or fds=0.05:5; the floor is kept
                                               when left out
        metrics: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))
        exit codes: 0 pass, 1 leak, 2 bad usage or unreadable folder, 3 crashed, not ready, invalid,
                    interrupted or inconclusive
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "report")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let thresholdTexts = try arguments.values("--threshold")
        let path = try arguments.positionals(count: 1...1, usage: usage)[0]
        let folder = RunFolder(path: path)
        let profile = try? ProfileLoader.load(file: folder.profileCopy)
        let thresholds = try ThresholdOverrides.parse(thresholdTexts) { metric in
            profile?.threshold(for: metric) ?? Threshold.defaults[metric] ?? Threshold(perCycle: 0, floor: 0)
        }
        // A live harness owns the folder's files and writes summary.json and the reports when it
        // ends: writing them now could race its finalisation and leave an interim verdict behind.
        let live = RunLock.isHeld(folder)
        if live {
            Output.err("note: the run in \(folder.path) is still going; this verdict is interim and not saved "
                + "(its harness writes summary.json and the reports when it ends)")
        }
        return try RunVerdictPrinter.conclude(folder: folder, thresholds: thresholds, saving: !live)
    }
}
