import Glibc
import Synchronization

/// Set by SIGINT or SIGTERM; the run loop polls it and ends the run cleanly.
private let stopRequested = Atomic<Int32>(0)

/// Turns SIGINT and SIGTERM into a polled flag, so a run stops the target, finalises
/// `run.json` as interrupted and exits, instead of dying with its target orphaned.
package enum StopSignals {
    /// Installs the handlers (idempotent).
    package static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only an atomic store here: it is async-signal-safe.
            stopRequested.store(signal, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent (a CI runner, a test harness) may have left these blocked in the mask we
        // inherited; blocked, they would stay pending and the run could never be stopped.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        // A closed stdout (a CI log pipe) must not kill the harness mid-run.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The signal that asked to stop, or nil.
    package static var received: Int32? {
        let value = stopRequested.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }
}
