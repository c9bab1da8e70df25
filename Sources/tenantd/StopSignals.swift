import Glibc

/// SIGTERM and SIGINT, blocked in every thread so the main thread alone takes them with `sigwait`:
/// each of tenantd's serving commands (a node, a fleet front, a follower front, a decision
/// service) blocks them before it starts a thread, and waits for one once it serves.
struct StopSignals {
    private var set = sigset_t()

    /// Blocks the stop signals in the calling thread and every thread it starts after this.
    static func block() -> StopSignals {
        var signals = StopSignals()
        sigemptyset(&signals.set)
        sigaddset(&signals.set, SIGTERM)
        sigaddset(&signals.set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals.set, nil)
        return signals
    }

    /// Waits for SIGTERM or SIGINT and returns which came.
    @discardableResult
    func wait() -> Int32 {
        var set = self.set
        var received: Int32 = 0
        sigwait(&set, &received)
        return received
    }
}
