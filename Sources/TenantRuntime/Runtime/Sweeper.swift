import Glibc
import PosixSupport
import Synchronization

/// Sweeps a `TenantHost` on a scaled clock at each idle deadline, on a thread of its own.
///
/// It sleeps until the earliest deadline the host has (`nextIdleDeadline()`), converted to wall
/// time by the clock, and a request that creates an earlier one rings it awake (`SweepSchedule`);
/// there is no fixed period, so at any clock scale a sweep runs as soon as something expires.
/// A request that still arrives between a deadline and its sweep (the thread was not scheduled in
/// time) expires what it finds itself, so the outcome never depends on this thread's timing.
/// A stepped clock needs no sweeper: `TenantHost.advance(to:)` fires the deadlines.
public final class Sweeper: @unchecked Sendable {
    private let host: TenantHost
    private let doorbell: WakeEvent
    private let stopping = Atomic(false)
    private var thread = pthread_t()
    private var started = false

    /// Throws a `SystemError` when the doorbell's pipe cannot be made.
    public init(host: TenantHost) throws {
        self.host = host
        doorbell = try WakeEvent()
    }

    /// Starts sweeping; throws (a `SystemError` naming pthread_create) when the thread cannot start,
    /// since a runtime that never unloads anything would pass for one that leaks.
    public func start() throws {
        guard !started else { return }
        host.sweepSchedule.connect { [doorbell] in doorbell.ring() }
        let box = Unmanaged.passRetained(self).toOpaque()
        do {
            try SystemCall.returningErrno("pthread_create sweeper") {
                pthread_create(&thread, nil, { raw in
                    let sweeper = Unmanaged<Sweeper>.fromOpaque(raw!).takeRetainedValue()
                    sweeper.run()
                    return nil
                }, box)
            }
        } catch {
            Unmanaged<Sweeper>.fromOpaque(box).release()
            host.sweepSchedule.connect(nil)
            throw error
        }
        started = true
    }

    /// Stops sweeping and waits for the thread to end.
    public func stop() {
        guard started else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        doorbell.ring()
        pthread_join(thread, nil)
        host.sweepSchedule.connect(nil)
        started = false
    }

    private func run() {
        while !stopping.load(ordering: .sequentiallyConsistent) {
            host.sweepSchedule.planning()
            host.sweep()
            let next = host.nextIdleDeadline()
            host.sweepSchedule.planned(next)
            // Nothing due: sleep until a request rings. A day is only a bound on one poll.
            let wall = next.flatMap(host.clock.wallDelay(until:)) ?? .seconds(86_400)
            // A microsecond past the deadline, so the clock reads it when the sweep looks.
            _ = doorbell.wait(until: MonotonicClock.now + wall + .microseconds(1))
        }
    }
}
