import Glibc
import PosixSupport
import SoakRun

/// `soak`'s entry point: dispatches subcommands and turns every error into a message and an
/// exit code, never a stack trace.
package enum SoakCommandLine {
    static let usage = """
        usage: soak <command> [options]

        commands:
          run PROFILE [--accelerate N] [--duration D] [--out DIR]   replay a profile against its target, judge it
              [--clock scaled|stepped]                              stepped: the harness advances the target's clock
              [--detach] [--metrics-listen HOST:PORT]               in the background; serving Prometheus /metrics
          watch PID | --cgroup PATH [--duration D] [--profile P]    sample and judge a process or cgroup soak did
              [--request PATH --base-url URL] [--out DIR]           not start; it is never stopped by soak
          status DIR                                                where a run stands: progress, verdict so far
          stop DIR [--timeout D]                                    end a running run cleanly and print its verdict
          profiles                                                  list the shipped profiles
          report DIR [--threshold METRIC=PER_CYCLE[:FLOOR] ...]     re-run the analysis on a run folder
          analyze FILE.csv --y COLUMN [--x COLUMN] [--warmup N]     analyse one series of any CSV as JSON
          analyze --prometheus URL --query PROMQL --start T --end T --step D
                                                                    judge every series of a Prometheus range query
          diff BASE CANDIDATE [--tolerance LIST] [--format text|md] [--html FILE] [--force]
                                                                    compare two runs, exit 1 on a regression
          baseline save DIR NAME | baseline list                    keep a passing run as a baseline for diff
          bench [SUITE...] [--out DIR] [--repeats N] [--quick]      measure performance against the quality bars

        Run `soak <command> --help` for a command's options.
        exit codes: 0 pass, 1 leak or regression, 2 bad usage or input, 3 crashed, not ready, invalid or interrupted
        """

    /// Runs the command line and returns the process exit status.
    package static func main(_ arguments: [String]) -> Int32 {
        // Past a file-size limit (`ulimit -f`) the kernel kills a writer with SIGXFSZ, which ended
        // the harness without a word. Ignored, the write fails with EFBIG instead, and that is
        // reported and handled like any other write error.
        signal(SIGXFSZ, SIG_IGN)
        guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
            Output.out(usage)
            return arguments.isEmpty ? ExitCode.usage.rawValue : ExitCode.pass.rawValue
        }
        let rest = Array(arguments.dropFirst())
        do {
            let code: ExitCode
            switch name {
            case "run": code = try RunCommand.run(rest, commandLine: arguments)
            case "watch": code = try WatchCommand.run(rest, commandLine: arguments)
            case "profiles": code = try ProfilesCommand.run(rest)
            case "report": code = try ReportCommand.run(rest)
            case "status": code = try StatusCommand.run(rest)
            case "stop": code = try StopCommand.run(rest)
            case "analyze": code = try AnalyzeCommand.run(rest)
            case "diff": code = try DiffCommand.run(rest)
            case "baseline": code = try BaselineCommand.run(rest)
            case "bench": code = try BenchCommand.run(rest)
            default:
                throw CommandError("unknown command \"\(name)\"\n\(usage)")
            }
            return code.rawValue
        } catch let error as CommandError {
            Output.err("soak: \(error.description)")
            return error.exitCode.rawValue
        } catch {
            Output.err("soak: \(error)")
            return ExitCode.usage.rawValue
        }
    }
}

/// Writes whole lines to stdout and stderr without stdio buffers (safe under Swift 6).
enum Output {
    static func out(_ text: String) { write(text, to: .standardOutput) }
    static func err(_ text: String) { write(text, to: .standardError) }

    private static func write(_ text: String, to descriptor: FileDescriptor) {
        // Nowhere is left to report a closed or full stdout to: the exit code still says how it went.
        try? descriptor.writeAll(text.hasSuffix("\n") ? text : text + "\n")
    }
}
