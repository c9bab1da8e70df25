import Glibc

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

    /// Starts sweeping.
    public func start() {
        guard !started else { return }
        started = true
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let sweeper = Unmanaged<Sweeper>.fromOpaque(raw!).takeRetainedValue()
            sweeper.run()
            return nil
        }, box)
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
