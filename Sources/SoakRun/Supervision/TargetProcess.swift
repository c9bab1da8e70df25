import CSystemShim
import Glibc
import MiniHTTP
import PosixSupport
import Synchronization

/// What to start as the target.
package struct LaunchSpec: Sendable {
    /// Program path, or a name looked up on PATH.
    package var executable: String
    package var arguments: [String]
    /// Extra environment over the harness's own.
    package var environment: [String: String] = [:]
    package var workingDirectory: String?
    /// Where the target's stdout and stderr go (they are also scanned for readiness).
    package var stdoutPath: String
    package var stderrPath: String

    package init(executable: String, arguments: [String], stdoutPath: String, stderrPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }
}

/// A failure to start or supervise the target, with what the user can do about it.
package struct SupervisorError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// The process under test, in a process group of its own, with a parent-death signal so it can
/// never outlive the harness. Its stdout is copied to a log and scanned for readiness lines.
///
/// The parent-death signal fires when the *thread* that spawned the target ends, so spawn from
/// a thread that lives as long as the run (the main thread).
package final class TargetProcess: @unchecked Sendable {
    /// The target's pid, also its process group id.
    package let pid: pid_t
    private let stdoutLines = Mutex<[String]>([])
    private let exitState = Mutex<TargetExit?>(nil)
    private var reader = pthread_t()

    private init(pid: pid_t) { self.pid = pid }

    /// Starts the target.
    package static func launch(_ spec: LaunchSpec) throws(SupervisorError) -> TargetProcess {
        guard let path = resolve(spec.executable) else {
            throw SupervisorError("cannot find the target program \"\(spec.executable)\" (not a file, and not on PATH)")
        }
        let stdoutLog: FileDescriptor
        let stderrLog: FileDescriptor
        var pipeEnds: [Int32] = [-1, -1]
        do {
            stdoutLog = try FileDescriptor.open(spec.stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions: 0o644)
            stderrLog = try FileDescriptor.open(spec.stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions: 0o644)
            try SystemCall.retrying("pipe") { lazysoak_pipe_cloexec(&pipeEnds) }
        } catch {
            throw SupervisorError("cannot prepare the target's output files: \(error)")
        }
        defer {
            try? stderrLog.close()
            close(pipeEnds[1])
        }

        var environment = ProcessEnvironment.current
        for (key, value) in spec.environment { environment[key] = value }
        let argv = [path] + spec.arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var options = lazysoak_spawn_options(
            stdin_fd: -1, stdout_fd: pipeEnds[1], stderr_fd: stderrLog.rawValue,
            new_process_group: 1, parent_death_signal: SIGKILL, working_directory: nil)
        let pid: pid_t = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                if let directory = spec.workingDirectory {
                    return directory.withCString { cDirectory in
                        options.working_directory = cDirectory
                        return lazysoak_spawn(path, cArgv, cEnvp, &options)
                    }
                }
                return lazysoak_spawn(path, cArgv, cEnvp, &options)
            }
        }
        guard pid > 0 else {
            try? stdoutLog.close()
            close(pipeEnds[0])
            throw SupervisorError("cannot start \(path): \(SystemError(operation: "exec", errno: errno))")
        }
        let process = TargetProcess(pid: pid)
        process.startCopyingStdout(from: pipeEnds[0], to: stdoutLog.rawValue)
        return process
    }

    /// The first stdout line containing `text`, waiting up to `timeout` (wall clock); nil when it
    /// did not appear in time or the target exited first.
    package func waitForLine(containing text: String, timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = stdoutLines.withLock({ $0.first { $0.contains(text) } }) { return line }
            if exit != nil { return nil }
            usleep(2_000)
        }
        return nil
    }

    /// How the target ended, or nil while it runs. Reaps it without blocking.
    package var exit: TargetExit? {
        exitState.withLock { state in
            if state == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { state = TargetExit(waitStatus: status) }
            }
            return state
        }
    }

    /// Ends the target: SIGTERM to its group, up to `grace` for it to exit, then SIGKILL.
    package func terminate(grace: Duration) -> (step: TeardownStep, exit: TargetExit?) {
        if let exit {
            kill(-pid, SIGKILL)  // anything it left behind in its group
            return (.alreadyExited, exit)
        }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if let exit {
                kill(-pid, SIGKILL)
                return (.sigterm, exit)
            }
            usleep(5_000)
        }
        kill(-pid, SIGKILL)
        let final = exitState.withLock { state -> TargetExit? in
            var status: Int32 = 0
            if state == nil, (try? SystemCall.retrying("waitpid") { waitpid(pid, &status, 0) }) == pid {
                state = TargetExit(waitStatus: status)
            }
            return state
        }
        return (.sigkill, final)
    }

    private func startCopyingStdout(from pipe: Int32, to log: Int32) {
        let context = Unmanaged.passRetained(StdoutCopier(pipe: pipe, log: log, process: self)).toOpaque()
        pthread_create(&reader, nil, { raw in
            Unmanaged<StdoutCopier>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        pthread_detach(reader)
    }

    fileprivate func remember(lines: [String]) {
        // Readiness lines come early; keep a bounded prefix so a chatty target cannot grow the harness.
        stdoutLines.withLock { stored in
            for line in lines where stored.count < 256 { stored.append(line) }
        }
    }

    private static func resolve(_ executable: String) -> String? {
        if executable.contains("/") { return access(executable, X_OK) == 0 ? executable : nil }
        let path = ProcessEnvironment.current["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// Copies the target's stdout to its log and hands complete lines to the process.
private final class StdoutCopier: @unchecked Sendable {
    let pipe: Int32
    let log: Int32
    let process: TargetProcess

    init(pipe: Int32, log: Int32, process: TargetProcess) {
        self.pipe = pipe
        self.log = log
        self.process = process
    }

    func run() {
        defer {
            close(pipe)
            close(log)
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            _ = buffer.withUnsafeBytes { write(log, $0.baseAddress, count) }
            pending.append(contentsOf: buffer[..<count])
            var lines: [String] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
            if pending.count > 65_536 { pending.removeAll() }
            if !lines.isEmpty { process.remember(lines: lines) }
        }
    }
}

/// Runs `body` with a NULL-terminated C array of `strings`.
func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
