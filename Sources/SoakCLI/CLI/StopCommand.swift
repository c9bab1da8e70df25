import Glibc
import PosixSupport
import SoakRun
import SoakUnits

/// `soak stop DIR`: ends a running soak cleanly (SIGTERM to its harness, which stops the target,
/// finalises `run.json` as interrupted and writes its reports) and prints the final verdict.
enum StopCommand {
    static let usage = "soak stop DIR [--timeout D]"
    static let help = """
        usage: \(usage)

        Sends SIGTERM to the harness running in DIR (checked to be a soak process first), waits for it
        to stop its target, finalise the run and write summary.json and the reports, and prints the
        final verdict. A stopped run is interrupted, or a leak when the part recorded already leaks.
          --timeout D   how long to wait for the harness to finish (wall time, default 60s)
        exit codes: 0 the run had already ended and passed, 1 leak, 2 bad usage or not a run folder,
                    3 interrupted (the usual outcome), the harness was already gone, or did not finish in time
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "stop")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let timeout = try arguments.duration("--timeout") ?? .seconds(60)
        let folder = RunFolder(path: try arguments.positionals(count: 1...1, usage: usage)[0])
        let pid: Int32
        switch try RunFolderState.inspect(folder, command: "stop") {
        case .running(_, _, let running):
            pid = running
        case .finishing(_, let finishing):
            pid = finishing
        case .killed(let manifest, let status, let killed):
            Output.out(RunStateText.killed(folder, manifest, status, pid: killed))
            return .failed
        case .ended(let manifest, let summary):
            Output.err("stop: the run in \(folder.path) had already ended (\(manifest.status.rawValue))")
            Output.out(RunStateText.ended(folder, manifest, summary))
            return summary?.verdict.exitCode ?? .failed
        }
        guard HarnessLiveness.isRunning(pid: pid) else {
            throw CommandError("stop: pid \(pid) (from \(folder.pidFile)) is not a soak process; not signalling it. "
                + "If the run is stuck, find its harness with ps and stop it by hand", exitCode: .failed)
        }
        do {
            try HarnessStop.request(pid: pid)
        } catch {
            throw CommandError("stop: cannot signal the harness (pid \(pid)): \(error.message)", exitCode: .failed)
        }
        Output.err("stop: sent SIGTERM to the harness (pid \(pid)); waiting up to \(DurationText.format(timeout)) "
            + "for it to finish the run and write its reports")
        guard HarnessStop.waitUntilEnded(folder: folder, pid: pid, timeout: timeout) else {
            throw CommandError("stop: the harness (pid \(pid)) has not finished after "
                + "\(DurationText.format(timeout)); see \(folder.path)/soak.log. Wait and run soak status "
                + "\(folder.path), or kill -9 \(pid) and run soak report \(folder.path)", exitCode: .failed)
        }
        switch try RunFolderState.inspect(folder, command: "stop") {
        case .ended(let manifest, let summary):
            Output.out(RunStateText.ended(folder, manifest, summary))
            return summary?.verdict.exitCode ?? .failed
        case .running(let manifest, let status, _), .killed(let manifest, let status, _):
            // Gone without finalising run.json: it died while stopping.
            Output.out(RunStateText.killed(folder, manifest, status, pid: pid))
            return .failed
        case .finishing(let manifest, _):
            Output.out(RunStateText.ended(folder, manifest, nil))
            return .failed
        }
    }
}
