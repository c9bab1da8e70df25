import FoundationEssentials
import Glibc
import MiniHTTP
import PosixSupport

/// Makes one harness the owner of a run folder: an exclusive `flock` on `run.lock`, held for the
/// life of the harness process, with the owner's pid in `run.lock` and `soak.pid`.
///
/// `flock` rather than an O_EXCL file with a pid check: the kernel drops the lock when its holder
/// dies, even by SIGKILL, so a killed harness never leaves a stale lock behind and a recycled pid
/// can never pass for the owner. The descriptor is close-on-exec, so the target (and anything it
/// spawns) never inherits the lock and keeps it after the harness is gone.
package final class RunLock: @unchecked Sendable {
    /// The folder owned.
    package let folder: RunFolder
    private let descriptor: FileDescriptor

    private init(folder: RunFolder, descriptor: FileDescriptor) {
        self.folder = folder
        self.descriptor = descriptor
    }

    deinit { try? descriptor.close() }

    /// Takes the lock, or throws naming the harness that holds it. Refuses a folder that already
    /// holds a run (`run.json`): a run folder is written by exactly one run, ever.
    ///
    /// `patience` covers `isHeld` probes from `soak status`, `stop` and `report`, which hold a
    /// shared lock for a few microseconds; a real owner holds it far longer. The wait runs on `clock`.
    package static func acquire(
        _ folder: RunFolder, patience: Duration = .milliseconds(500), clock: any RunClock = SystemRunClock.polling
    ) throws(RunLockError) -> RunLock {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(folder.lock, O_RDWR | O_CREAT, permissions: 0o644)
        } catch {
            throw RunLockError("cannot lock the run folder \(folder.path): \(error)")
        }
        var failure: SystemError?
        let locked = clock.poll(every: .milliseconds(10), for: patience) { () -> Bool? in
            do throws(SystemError) {
                // Another holder: try again after a step; a failure will not get better.
                return try descriptor.tryLock(exclusive: true) ? true : nil
            } catch {
                failure = error
                return false
            }
        }
        guard case .value(true) = locked else {
            try? descriptor.close()
            if let failure { throw RunLockError("cannot lock \(folder.lock): \(failure)") }
            let holder = ownerPID(folder).map { " (harness pid \($0))" } ?? ""
            throw RunLockError("the run folder \(folder.path) is in use by another soak run\(holder): "
                + "two harnesses must never write one folder; follow it with soak status \(folder.path)")
        }
        if FileManager.default.fileExists(atPath: folder.manifest) {
            try? descriptor.close()
            throw RunLockError("the run folder \(folder.path) already holds a run (run.json exists); "
                + "a folder is written by one run only: start a new run, or use soak report \(folder.path)")
        }
        let lock = RunLock(folder: folder, descriptor: descriptor)
        lock.recordOwner()
        return lock
    }

    /// Whether a live process holds the lock. Probes with a shared lock that is released at once;
    /// a folder without `run.lock` (made by an older soak) is never held.
    package static func isHeld(_ folder: RunFolder) -> Bool {
        guard let descriptor = try? FileDescriptor.open(folder.lock, O_RDONLY) else { return false }
        defer { try? descriptor.close() }
        guard let acquired = try? descriptor.tryLock(exclusive: false) else { return false }
        if acquired { try? descriptor.unlock() }
        return !acquired
    }

    /// The pid of the harness that took the lock last, from `soak.pid` (else `run.lock`). It may
    /// be gone: check with `HarnessLiveness` or `isHeld`.
    package static func ownerPID(_ folder: RunFolder) -> Int32? {
        for path in [folder.pidFile, folder.lock] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let pid = Int32(text.trimmingWhitespace()), pid > 0 {
                return pid
            }
        }
        return nil
    }

    /// Writes this process's pid into `run.lock` (for a refused second harness to name) and into
    /// `soak.pid` atomically (for `soak stop`).
    private func recordOwner() {
        let text = "\(getpid())\n"
        // Best effort: the lock itself keeps a second harness out; the pid only names the owner.
        try? descriptor.truncate(to: 0)
        try? descriptor.writeAll(text, at: 0, operation: "write \(folder.lock)")
        try? Data(text.utf8).write(to: URL(fileURLWithPath: folder.pidFile), options: .atomic)
    }
}

/// A run folder that cannot be owned, with what to do instead.
package struct RunLockError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) { self.description = description }
}
