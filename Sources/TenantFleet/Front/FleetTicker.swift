import Glibc
import MiniHTTP
import PosixSupport
import Synchronization

/// The controller's thread in `tenantd fleet`: starts the first nodes, ticks every `period` of
/// wall time, and on ``stop()`` drains and stops every node.
///
/// One thread for the whole life of the fleet, because a node's parent-death signal fires when the
/// thread that forked it ends: nodes forked from a short-lived thread would be killed with it.
package final class FleetTicker: Sendable {
    let controller: FleetController
    let initialNodes: Int
    let period: Duration
    private let doorbell: WakeEvent
    private let ready: WakeEvent
    private let shared = Mutex(Shared())

    private struct Shared {
        var thread: pthread_t?
        var stopRequested = false
        var startFailure: String?
    }

    package init(controller: FleetController, initialNodes: Int, period: Duration = .milliseconds(20)) throws {
        self.controller = controller
        self.initialNodes = initialNodes
        self.period = period
        doorbell = try WakeEvent()
        ready = try WakeEvent()
    }

    /// Starts the thread; returns once the first nodes serve, or throws why they do not.
    package func start() throws {
        let thread = try PlainThread.start(name: "fleet-controller", joinable: true) { [self] in run() }
        shared.withLock { $0.thread = thread }
        _ = ready.wait(until: MonotonicClock.now + .seconds(3600))
        if let failure = shared.withLock({ $0.startFailure }) {
            stop()
            throw NodeStartError(failure)
        }
    }

    /// Asks the thread to drain and stop every node, and waits until it has.
    package func stop() {
        let thread = shared.withLock { shared -> pthread_t? in
            shared.stopRequested = true
            defer { shared.thread = nil }
            return shared.thread
        }
        doorbell.ring()
        if let thread { PlainThread.join(thread) }
    }

    private func run() {
        do {
            try controller.startInitial(initialNodes)
        } catch {
            shared.withLock { $0.startFailure = "\(error)" }
        }
        ready.ring()
        while !shared.withLock({ $0.stopRequested }) {
            controller.tick()
            _ = doorbell.wait(until: MonotonicClock.now + period)
        }
        controller.stopAll()
    }
}
