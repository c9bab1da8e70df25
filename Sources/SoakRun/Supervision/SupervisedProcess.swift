/// What supervision needs of a started program: how it ended, what it printed, and a way to
/// signal it. ``TargetProcess`` is the real one; tests give a scripted one to check readiness and
/// teardown on a manual clock.
package protocol SupervisedProcess: AnyObject {
    /// How the process ended, or nil while it runs; an ended process stays unreaped until
    /// ``reapAfterKill()``, so its process group id stays its own while the group is signalled.
    var exit: TargetExit? { get }
    /// The first line it printed on stdout that contains `text`, so far.
    func firstLine(containing text: String) -> String?
    /// Sends `signal` to the process and everything in its process group.
    func signalGroup(_ signal: Int32)
    /// Waits for the process to end after SIGKILL to its group (which it cannot ignore) and reaps
    /// it; after this its group is never signalled again.
    func reapAfterKill() -> TargetExit?
}
