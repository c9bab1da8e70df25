import FoundationEssentials
import Glibc
import PosixSupport
import SoakRun

/// Starting and watching the programs a bench measures: other `soak` runs, `tenantd`, peers.
///
/// Every child goes through `TargetProcess`, so it sits in its own process group with a
/// parent-death signal and can never outlive the bench.
enum BenchProcess {
    /// How a program that ran to its end finished.
    struct Completion {
        /// nil when it was still running at the deadline (and was then killed).
        var exit: TargetExit?
        var wallSeconds: Double

        /// The exit status, or nil when it was killed or timed out.
        var status: Int32? {
            if case .exited(let status)? = exit { return status }
            return nil
        }
    }

    /// Starts `executable` with its output in `logs`.stdout/.stderr, in the bench's own session:
    /// a benched `soak run` competes with the bench's busy loops as a harness started beside
    /// them from one script would (the target it starts gets a session of its own, as always).
    static func start(_ executable: String, _ arguments: [String], logs: String) throws -> TargetProcess {
        var spec = LaunchSpec(
            executable: executable, arguments: arguments, stdoutPath: "\(logs).stdout", stderrPath: "\(logs).stderr")
        spec.ownSession = false
        return try TargetProcess.launch(spec)
    }

    /// Runs `executable` to its end, or kills it at `timeout`.
    static func run(
        _ executable: String, _ arguments: [String], logs: String, timeout: Duration
    ) throws -> Completion {
        let started = monotonicSeconds()
        let process = try start(executable, arguments, logs: logs)
        _ = SystemRunClock.polling.poll(every: .milliseconds(2), for: timeout) { process.exit }
        let wall = monotonicSeconds() - started
        guard let exit = process.exit else {
            _ = process.terminate(grace: .seconds(2))
            return Completion(exit: nil, wallSeconds: wall)
        }
        return Completion(exit: exit, wallSeconds: wall)
    }

    /// Seconds on the monotonic clock.
    static func monotonicSeconds() -> Double {
        MonotonicClock.now.secondsValue
    }

    /// Seconds since the epoch, for matching timestamps written by other programs.
    static func unixSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// CPU time of every live thread of `pid`, in seconds, from `/proc/PID/task/*/schedstat`.
    ///
    /// schedstat counts nanoseconds; `/proc/PID/stat` counts 10 ms ticks, far too coarse for a
    /// sampler that spends a few milliseconds over a whole measurement window.
    static func cpuSeconds(pid: pid_t) -> Double? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var total = 0.0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let nanos = Double(first) else { continue }
            total += nanos / 1e9
        }
        return total
    }

    /// A `kB` field of `/proc/PID/status` (`VmRSS`, `VmHWM`) in bytes.
    static func statusBytes(pid: pid_t, field: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let number = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return number.flatMap { Double($0) }.map { $0 * 1024 }
        }
        return nil
    }

    /// Lines in a file (0 when it does not exist yet): peers flush one line per sample.
    static func lineCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The first program named `name` on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileSystem.isExecutable)
    }
}
