import Glibc
import PosixSupport

/// Calls `TenantHost.sweep()` every `sweepEvery` of simulated time on a thread of its own.
///
/// The only place the runtime turns simulated time into wall time: the wait between sweeps is
/// `sweepEvery / clock.scale`.
public final class Sweeper: @unchecked Sendable {
    private let host: TenantHost
    private let stopping = CompletionGate()
    private let finished = CompletionGate()
    private var thread = pthread_t()
    private var started = false

    public init(host: TenantHost) {
        self.host = host
    }

    /// Starts sweeping; throws (a `SystemError` naming pthread_create) when the thread cannot start,
    /// since a runtime that never unloads anything would pass for one that leaks.
    public func start() throws {
        guard !started else { return }
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
            throw error
        }
        started = true
    }

    /// Stops sweeping and waits for the thread to end.
    public func stop() {
        guard started else { return }
        stopping.open()
        pthread_join(thread, nil)
        started = false
    }

    private func run() {
        let period = host.configuration.sweepEvery / host.clock.scale
        while !stopping.wait(timeout: period) {
            host.sweep()
        }
    }
}
