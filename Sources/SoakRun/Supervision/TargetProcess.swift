import CSystemShim
import Glibc
import MiniHTTP
import PosixSupport
import Synchronization

/// A failure to start or supervise the target, with what the user can do about it.
package struct SupervisorError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// The process under test, in a session and process group of its own, with a parent-death signal
/// so it can never outlive the harness. Its stdout is copied to a log and scanned for readiness
/// lines.
///
/// The parent-death signal fires when the *thread* that spawned the target ends, so spawn from
/// a thread that lives as long as the run (the main thread).
package final class TargetProcess: SupervisedProcess, @unchecked Sendable {
    /// The target's pid, also its process group id.
    package let pid: pid_t
    private let stdoutLines = Mutex<[String]>([])
    /// How it ended, once seen, and whether it has been reaped: it stays a zombie until its group
    /// has had its last signal, so the group id cannot pass to a new process meanwhile.
    private let exitState = Mutex<(exit: TargetExit?, reaped: Bool)>((nil, false))
    private var reader = pthread_t()

    private init(pid: pid_t) { self.pid = pid }

    deinit {
        // A process that ended without a teardown (a bench's child that ran to its end) is
        // reaped here; one still running is left to its parent-death signal.
        exitState.withLock { state in
            if !state.reaped { _ = try? PosixProcess.reap(pid, blocking: false) }
        }
    }

    /// Starts the target. `whenOutputEnds` runs (on another thread) once its stdout has closed and
    /// it has exited, or a second after the close: a run rings its clock with it, so a target
    /// that dies mid-sleep is noticed at once rather than at the next sample.
    package static func launch(
        _ spec: LaunchSpec, whenOutputEnds: (@Sendable () -> Void)? = nil
    ) throws(SupervisorError) -> TargetProcess {
        guard let path = resolve(spec.executable) else {
            throw SupervisorError("cannot find the target program \"\(spec.executable)\" (not a file, and not on PATH)")
        }
        let stdoutLog: FileDescriptor
        let stderrLog: FileDescriptor
        let pipe: (reader: FileDescriptor, writer: FileDescriptor)
        do {
            stdoutLog = try FileDescriptor.open(spec.stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions: 0o644)
            stderrLog = try FileDescriptor.open(spec.stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions: 0o644)
            pipe = try FileDescriptor.makePipe()
        } catch {
            throw SupervisorError("cannot prepare the target's output files: \(error)")
        }
        defer {
            try? stderrLog.close()
            try? pipe.writer.close()
        }

        var environment = ProcessEnvironment.current
        for (key, value) in spec.environment { environment[key] = value }
        let argv = [path] + spec.arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var options = lazysoak_spawn_options(
            stdin_fd: -1, stdout_fd: pipe.writer.rawValue, stderr_fd: stderrLog.rawValue,
            new_process_group: 1, new_session: spec.ownSession ? 1 : 0, parent_death_signal: SIGKILL, working_directory: nil)
        // The C strings are freed on the way out, so errno is read inside, right after the call.
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                Result { () throws(SystemError) in
                    // `once`: a retry after EINTR could start a second target.
                    try SystemCall.once("exec") {
                        guard let directory = spec.workingDirectory else {
                            return lazysoak_spawn(path, cArgv, cEnvp, &options)
                        }
                        return directory.withCString { cDirectory in
                            options.working_directory = cDirectory
                            return lazysoak_spawn(path, cArgv, cEnvp, &options)
                        }
                    }
                }
            }
        }
        let pid: pid_t
        do {
            pid = try spawned.get()
        } catch {
            try? stdoutLog.close()
            try? pipe.reader.close()
            throw SupervisorError("cannot start \(path): \(error)")
        }
        let process = TargetProcess(pid: pid)
        process.startCopyingStdout(from: pipe.reader, to: stdoutLog, whenOutputEnds: whenOutputEnds)
        return process
    }

    /// The first stdout line containing `text`, waiting up to `timeout` (wall clock); nil when it
    /// did not appear in time or the target exited first.
    package func waitForLine(
        containing text: String, timeout: Duration, clock: any RunClock = SystemRunClock.polling
    ) -> String? {
        let found = clock.poll(every: .milliseconds(2), for: timeout) { () -> String?? in
            if let line = firstLine(containing: text) { return .some(line) }
            return exit != nil ? .some(nil) : nil
        }
        if case .value(let line) = found { return line }
        return nil
    }

    package func firstLine(containing text: String) -> String? {
        stdoutLines.withLock { $0.first { $0.contains(text) } }
    }

    /// Waits up to `timeout` (wall clock) for the process to end; its exit, or nil when it still runs.
    package func waitForExit(timeout: Duration, clock: any RunClock = SystemRunClock.polling) -> TargetExit? {
        if case .value(let exit) = clock.poll(every: .milliseconds(2), for: timeout, { exit }) { return exit }
        return nil
    }

    /// How the target ended, or nil while it runs. Does not reap it: until the teardown has
    /// swept its process group, the pid (and so the group id) must not pass to another process,
    /// or the sweep's SIGKILL could land on a stranger's group.
    package var exit: TargetExit? {
        exitState.withLock { state in
            if state.exit == nil {
                // ECHILD (reaped elsewhere) leaves the state unknown, as a child still running does.
                if let status = try? PosixProcess.peekExit(pid) {
                    state.exit = TargetExit(waitStatus: status)
                }
            }
            return state.exit
        }
    }

    /// Ends the target: SIGTERM to its group, up to `grace` for it to exit, then SIGKILL (see
    /// ``Teardown``). `hurry` cuts the grace short.
    package func terminate(
        grace: Duration, clock: any RunClock = SystemRunClock.polling, hurry: () -> Bool = { false }
    ) -> (step: TeardownStep, exit: TargetExit?) {
        Teardown.run(self, grace: grace, clock: clock, hurry: hurry)
    }

    package func signalGroup(_ signal: Int32) {
        try? PosixProcess.send(signal, to: -pid)
    }

    package func reapAfterKill() -> TargetExit? {
        exitState.withLock { state -> TargetExit? in
            if !state.reaped {
                if let status = try? PosixProcess.reap(pid, blocking: true), state.exit == nil {
                    state.exit = TargetExit(waitStatus: status)
                }
                state.reaped = true
            }
            return state.exit
        }
    }

    private func startCopyingStdout(
        from pipe: FileDescriptor, to log: FileDescriptor, whenOutputEnds: (@Sendable () -> Void)?
    ) {
        let copier = StdoutCopier(pipe: pipe, log: log, process: self, whenOutputEnds: whenOutputEnds)
        let context = Unmanaged.passRetained(copier).toOpaque()
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

    /// The program `executable` names: itself when it holds a slash, else the first match on PATH;
    /// nil when none is executable.
    package static func resolve(_ executable: String) -> String? {
        if executable.contains("/") { return FileSystem.isExecutable(executable) ? executable : nil }
        let path = ProcessEnvironment.current["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if FileSystem.isExecutable(candidate) { return candidate }
        }
        return nil
    }
}

/// Copies the target's stdout to its log and hands complete lines to the process.
private final class StdoutCopier: @unchecked Sendable {
    let pipe: FileDescriptor
    let log: FileDescriptor
    let process: TargetProcess
    let whenOutputEnds: (@Sendable () -> Void)?

    init(pipe: FileDescriptor, log: FileDescriptor, process: TargetProcess, whenOutputEnds: (@Sendable () -> Void)?) {
        self.pipe = pipe
        self.log = log
        self.process = process
        self.whenOutputEnds = whenOutputEnds
    }

    func run() {
        defer {
            try? pipe.close()
            try? log.close()
            if let whenOutputEnds {
                // The pipe closes as the target exits, a moment before it can be reaped: wait for
                // that moment, so whoever is told finds the exit (bounded, for a target that merely
                // closed its stdout).
                _ = SystemRunClock.polling.poll(every: .milliseconds(1), for: .seconds(1)) { process.exit }
                whenOutputEnds()
            }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending: [UInt8] = []
        while true {
            // End of file (the target and its children closed stdout) or a read error ends the copy.
            guard let count = try? buffer.withUnsafeMutableBytes({ try pipe.read(into: $0) }), count > 0 else {
                return
            }
            // A full disk loses log text but never stops the readiness scan.
            buffer.withUnsafeBytes { try? log.writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
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
