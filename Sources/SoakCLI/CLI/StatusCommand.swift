/// `soak status DIR`: where a run stands, whether it is running, was killed or has ended.
import SoakRun

enum StatusCommand {
    static let usage = "soak status DIR"
    static let help = """
        usage: \(usage)

        Prints where the run in DIR stands. While it runs: progress, the latest memory values, integrity
        and the verdict so far (from status.json, rewritten by the harness every few seconds). When its
        harness was killed: what the folder still holds. When it has ended: the final verdict.
        The first line is "state: running|killed|finishing|completed|interrupted|crashed|not-ready",
        for scripts.
        exit codes: 0 running (or ended and passed), 1 ended with a leak, 2 bad usage or not a run folder,
                    3 the harness was killed, or the run ended crashed, invalid, interrupted or inconclusive
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "status")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let folder = RunFolder(path: try arguments.positionals(count: 1...1, usage: usage)[0])
        switch try RunFolderState.inspect(folder, command: "status") {
        case .running(let manifest, let status, let pid):
            Output.out(RunStateText.running(folder, manifest, status, pid: pid))
            return .pass
        case .killed(let manifest, let status, let pid):
            Output.out(RunStateText.killed(folder, manifest, status, pid: pid))
            return .failed
        case .finishing(let manifest, let pid):
            Output.out("state: finishing\nrun folder: \(folder.path)\nthe run ended (\(manifest.status.rawValue)); "
                + "the harness (pid \(pid)) is writing its reports")
            return .pass
        case .ended(let manifest, let summary):
            Output.out(RunStateText.ended(folder, manifest, summary))
            return summary?.verdict.exitCode ?? .failed
        }
    }
}
