import CSystemShim
#if canImport(Glibc)
import Glibc
#endif

/// Signals and waits on processes, through ``SystemCall`` like every other call.
package enum PosixProcess {
    /// Sends `signal` to `pid`; a negative pid addresses that process group. ESRCH when no such
    /// process (or group) is left.
    package static func send(_ signal: Int32, to pid: pid_t) throws(SystemError) {
        try SystemCall.once("kill \(pid)") { kill(pid, signal) }
    }

    /// Whether a process `pid` exists, asked with signal 0. EPERM counts as existing: the process
    /// is there, it is only someone else's.
    package static func exists(_ pid: pid_t) -> Bool {
        do {
            try send(0, to: pid)
            return true
        } catch {
            return error.errno == EPERM
        }
    }

    /// The wait status of child `pid` once it has ended, nil while it runs, leaving it unreaped:
    /// until ``reap(_:blocking:)`` it keeps its pid, so neither that pid nor the process group it
    /// led can be handed to a new process while its group may still be signalled.
    package static func peekExit(_ pid: pid_t) throws(SystemError) -> Int32? {
        var status: Int32 = 0
        let ended = try SystemCall.retrying("waitid \(pid)") { lazysoak_peek_exit(pid, &status) }
        return ended == 1 ? status : nil
    }

    /// Reaps the child `pid`: its wait status once it has ended. Without `blocking` it returns nil
    /// while the child still runs (waitpid's 0 with WNOHANG, an answer rather than a failure);
    /// with it, waits for the end. ECHILD when `pid` is not an unreaped child of this process.
    package static func reap(_ pid: pid_t, blocking: Bool) throws(SystemError) -> Int32? {
        var status: Int32 = 0
        let reaped = try SystemCall.retrying("waitpid \(pid)") { waitpid(pid, &status, blocking ? 0 : WNOHANG) }
        return reaped == pid ? status : nil
    }
}
