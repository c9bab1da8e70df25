import Synchronization

/// Notices that the run folder was deleted under a running harness.
///
/// Lines written after `rm -rf` of the folder go to unlinked files that nobody will read, so a
/// run that went on would spend hours measuring into nothing and then find no folder to judge.
/// The status thread looks ten times a second (`RunMonitor.start(_:watch:)`); the first loss
/// wakes the run, which stops its target and says what happened.
package final class RunFolderWatch: Sendable {
    private let probe: @Sendable () -> String?
    private let wake: @Sendable () -> Void
    private let loss = Mutex<String?>(nil)

    /// Watches the files `recorder` writes; `clock` is the run's, woken on the first loss.
    package init(_ recorder: RunRecorder, waking clock: any RunClock) {
        probe = recorder.deletionProbe
        wake = { clock.wake() }
    }

    /// Looks once; wakes the run when a file just went missing.
    package func look() {
        guard loss.withLock({ $0 == nil }), let file = probe() else { return }
        loss.withLock { $0 = file }
        wake()
    }

    /// The file found deleted (`samples.csv`); nil while the folder is whole.
    package var lostFile: String? { loss.withLock { $0 } }
}
