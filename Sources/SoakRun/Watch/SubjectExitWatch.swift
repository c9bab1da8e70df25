import Synchronization

/// Notices that what `soak watch` samples has gone: the process exited (or its pid now names
/// another process), or the cgroup was removed or emptied.
///
/// soak did not start the process, so no SIGCHLD and no `waitpid` tell it of the exit; the status
/// thread looks ten times a second instead (`RunMonitor.start(_:watch:)`), and the first look that
/// finds it gone wakes the run, so the watch ends within a tenth of a second, not at the next sample.
package final class SubjectExitWatch: Sendable {
    private let isGone: @Sendable () -> Bool
    private let wake: @Sendable () -> Void
    private let gone = Atomic<Bool>(false)

    /// Watches with `isGone`; `clock` is the run's, woken when it first holds.
    package init(isGone: @escaping @Sendable () -> Bool, waking clock: any RunClock) {
        self.isGone = isGone
        wake = { clock.wake() }
    }

    /// Watches `subject` as /proc and the cgroup file system show it.
    package convenience init(_ subject: WatchSubject, waking clock: any RunClock) {
        switch subject {
        case .process(let process):
            self.init(isGone: { !process.isRunning }, waking: clock)
        case .cgroup(let location):
            self.init(isGone: { (WatchedCgroup.members(of: location) ?? []).isEmpty }, waking: clock)
        }
    }

    /// Looks once; wakes the run the first time the subject is found gone.
    package func look() {
        guard !gone.load(ordering: .acquiring), isGone() else { return }
        gone.store(true, ordering: .releasing)
        wake()
    }

    /// Whether a look has found the subject gone.
    package var hasEnded: Bool { gone.load(ordering: .acquiring) }
}
