import CSystemShim
import FoundationEssentials
import Glibc
import MiniHTTP
import PosixSupport
import SoakProfiles
import SoakUnits

/// `soak run --detach`: starts the same run as a program of its own that outlives the terminal,
/// and returns once that program owns its run folder.
///
/// The parent makes the run folder (so it can print it), then re-executes this very binary
/// (`/proc/self/exe`, immune to the file being rebuilt meanwhile) with the same arguments minus
/// `--detach` plus `--run-folder DIR`. The child runs in a session of its own, is adopted by init
/// (double fork), reads /dev/null and writes `DIR/soak.log`.
package enum DetachedLaunch {
    /// The detached harness, once it owns its folder.
    package struct Started: Sendable {
        package var pid: Int32
        package var folder: RunFolder
        /// Where `/metrics` is served, when asked for.
        package var metricsAddress: String?
    }

    /// A detached run that could not be started or died before it owned its folder.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// Starts `soak run` again with `runArguments` (the arguments after `run`) in `folder`, and
    /// waits up to `timeout` for it to take the folder's lock and write its first `status.json`.
    package static func start(
        runArguments: [String], folder: RunFolder, timeout: Duration = .seconds(30)
    ) throws(Failure) -> Started {
        let executable = ProfileCatalog.currentExecutablePath() ?? CommandLine.arguments[0]
        // After a rebuild the link reads "…/soak (deleted)"; argv[0] keeps the name HarnessLiveness
        // looks for either way.
        let name = executable.hasSuffix(" (deleted)") ? String(executable.dropLast(10)) : executable
        var arguments = runArguments.filter { $0 != "--detach" }
        arguments += ["--run-folder", folder.path]
        let log: FileDescriptor
        do {
            log = try FileDescriptor.open("\(folder.path)/soak.log", O_WRONLY | O_CREAT | O_APPEND)
        } catch {
            throw Failure(description: "cannot create \(folder.path)/soak.log: \(error)")
        }
        defer { try? log.close() }
        // Workflow commands only work on the job's own stdout, and this run's goes to soak.log: the
        // job's later soak report (or soak stop) annotates and writes the job summary, once.
        let environment = ProcessEnvironment.current.filter { $0.key != "GITHUB_ACTIONS" }
            .map { "\($0.key)=\($0.value)" }
        // errno is read inside, before the C strings are freed.
        let spawned = withCStrings([name, "run"] + arguments) { argv in
            withCStrings(environment) { envp in
                Result { () throws(SystemError) in
                    try SystemCall.once("exec") { lazysoak_spawn_detached("/proc/self/exe", argv, envp, log.rawValue) }
                }
            }
        }
        let pid: Int32
        do {
            pid = try spawned.get()
        } catch {
            throw Failure(description: "cannot start the detached run: \(error)")
        }
        return try waitUntilOwned(folder: folder, pid: pid, timeout: timeout)
    }

    /// Polls until the child's `status.json` names it, which it writes after taking the lock
    /// and writing `run.json` and `soak.pid`.
    static func waitUntilOwned(
        folder: RunFolder, pid: Int32, timeout: Duration, clock: any RunClock = SystemRunClock.polling
    ) throws(Failure) -> Started {
        let owned = clock.poll(every: .milliseconds(20), for: timeout) { () -> Started?? in
            if let status = RunStatus.read(from: folder.status), status.harnessPID == pid {
                return Started(pid: pid, folder: folder, metricsAddress: status.metricsAddress)
            }
            // Alive, not `isRunning`: the pid is the one just spawned, and right after its exec
            // its command line can read empty (a loaded CI machine caught it there).
            return HarnessLiveness.isAlive(pid: pid) ? nil : .some(nil)
        }
        switch owned {
        case .value(let started?):
            return started
        case .value(nil):
            throw Failure(description: "the detached run (pid \(pid)) ended before it started its run"
                + logTail(folder))
        case .timedOut, .interrupted:
            throw Failure(description: "the detached run (pid \(pid)) has not started its run after "
                + "\(DurationText.format(timeout)); it may still: follow it with soak status \(folder.path)"
                + logTail(folder))
        }
    }

    private static func logTail(_ folder: RunFolder) -> String {
        guard let text = try? String(contentsOfFile: "\(folder.path)/soak.log", encoding: .utf8),
              !text.isEmpty else { return "" }
        let lines = text.split(separator: "\n").suffix(8).joined(separator: "\n    ")
        return "; last lines of \(folder.path)/soak.log:\n    \(lines)"
    }
}
