import Glibc
import PosixSupport
import Synchronization

/// The first signal that asked the run to stop; 0 while none has.
private let firstStopSignal = Atomic<Int32>(0)
/// Every stop request so far: a second one during teardown skips the rest of the grace.
private let stopRequestCount = Atomic<Int>(0)
/// The doorbell of the run thread's clock, rung by the handler; -1 before `install`.
private let stopDoorbell = Atomic<Int32>(-1)

/// Turns SIGINT and SIGTERM (and so `soak stop`, which sends SIGTERM) into a stop request the run
/// sees at once: the handler records the signal and rings the run clock's doorbell, which every
/// wait of the run polls beside its deadline. The run then stops the target, finalises `run.json`
/// as interrupted and exits, instead of dying with its target orphaned or sleeping on until its
/// next sample.
package enum StopSignals {
    /// Installs the handlers, ringing `clock`'s doorbell on each signal. The clock must outlive the
    /// process's last signal (the run's clock does: it lives until `soak run` exits).
    package static func install(waking clock: SystemRunClock) {
        stopDoorbell.store(clock.ringDescriptor ?? -1, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Atomics and write(2) only: all async-signal-safe.
            _ = firstStopSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
            stopRequestCount.add(1, ordering: .sequentiallyConsistent)
            let doorbell = stopDoorbell.load(ordering: .relaxed)
            if doorbell >= 0 { WakeEvent.ring(descriptor: doorbell) }
        }
        sigemptyset(&action.sa_mask)
        // SA_RESTART: a blocking read elsewhere resumes; the run's own waits notice the doorbell.
        action.sa_flags = SA_RESTART
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

    /// The signal that first asked to stop, or nil.
    package static var received: Int32? {
        let value = firstStopSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// How many stop requests have arrived (0 while none has).
    package static var requests: Int {
        stopRequestCount.load(ordering: .sequentiallyConsistent)
    }
}
