import FoundationEssentials
import Glibc
import SoakUnits
import Synchronization

/// Runs a helper program (addr2line, a demangler, jcmd) to completion and returns its stdout.
package enum ToolOutput {
    /// The program's stdout when it exits with status 0 within `timeout`; otherwise why not.
    package static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)
    ) -> Result<String, SupervisorError> {
        let output = "/tmp/soak-tool-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        defer { unlink(output) }
        let spec = LaunchSpec(executable: executable, arguments: arguments, stdoutPath: output, stderrPath: "/dev/null")
        // The output reaches the file through a copier thread: read it only once that has finished.
        let copied = Atomic(false)
        let process: TargetProcess
        do {
            process = try TargetProcess.launch(spec, whenOutputEnds: { copied.store(true, ordering: .releasing) })
        } catch {
            return .failure(error)
        }
        guard let exit = process.waitForExit(timeout: timeout) else {
            _ = process.terminate(grace: .seconds(1))
            return .failure(SupervisorError("\(executable) took over \(DurationText.format(timeout)) and was stopped"))
        }
        guard exit == .exited(status: 0) else { return .failure(SupervisorError("\(executable) \(exit)")) }
        let settled = SystemRunClock.polling.poll(every: .milliseconds(2), for: .seconds(5)) {
            copied.load(ordering: .acquiring) ? true : nil
        }
        guard case .value = settled, let text = try? String(contentsOfFile: output, encoding: .utf8) else {
            return .failure(SupervisorError("\(executable): its output could not be read"))
        }
        return .success(text)
    }
}
