import FoundationEssentials
import SoakRun

/// Where a run folder's run stands, from `run.json`, `status.json`, `summary.json`, the folder's
/// lock and the harness process: what `soak status` and `soak stop` act on.
enum RunFolderState {
    /// A harness owns the folder and is replaying (or preparing) the run.
    case running(RunManifest, RunStatus?, pid: Int32)
    /// `run.json` says running but its harness is gone: killed (SIGKILL, OOM, a reboot).
    case killed(RunManifest, RunStatus?, pid: Int32)
    /// The run has ended and its harness is writing the reports.
    case finishing(RunManifest, pid: Int32)
    /// The run has ended; the summary is nil when it was never judged.
    case ended(RunManifest, RunSummary?)

    /// Reads the state of `folder`, refusing (exit 2) a folder that is not a run folder.
    static func inspect(_ folder: RunFolder, command: String) throws(CommandError) -> RunFolderState {
        let manifest: RunManifest
        do {
            manifest = try RunManifest.read(from: folder.manifest)
        } catch {
            if !FileManager.default.fileExists(atPath: folder.manifest), RunLock.isHeld(folder) {
                // A run that has just taken its folder writes run.json a moment later.
                throw CommandError("\(command): \(folder.path) is starting (no run.json yet); try again in a moment",
                                   exitCode: .failed)
            }
            let exists = FileManager.default.fileExists(atPath: folder.manifest)
            throw CommandError(exists
                ? "\(command): \(folder.manifest): unreadable run manifest (\(error))"
                : "\(command): \(folder.path): not a run folder (no run.json); expected a folder made by soak run")
        }
        let pid = RunLock.ownerPID(folder) ?? manifest.harnessPID
        // The lock is the sure sign (the kernel drops it when the harness dies); folders made
        // before run.lock existed fall back on the pid.
        let live = FileManager.default.fileExists(atPath: folder.lock)
            ? RunLock.isHeld(folder) : HarnessLiveness.isRunning(pid: pid)
        if manifest.status == .running {
            let status = RunStatus.read(from: folder.status)
            return live ? .running(manifest, status, pid: pid) : .killed(manifest, status, pid: pid)
        }
        let summary = try? RunSummary.read(from: folder.summaryJSON)
        if live, summary == nil || summary?.status == .running { return .finishing(manifest, pid: pid) }
        return .ended(manifest, summary?.status == .running ? nil : summary)
    }
}
