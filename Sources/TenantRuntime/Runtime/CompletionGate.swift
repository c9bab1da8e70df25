import Glibc
import PosixSupport

/// A one-shot gate many threads can wait on, with a wall-clock bound.
///
/// Concurrent first requests wait here for the one load or deployment in progress. The bound is
/// wall time on purpose: it protects a real client from a hang, whatever the simulated clock does.
final class CompletionGate: @unchecked Sendable {
    // pthread primitives live on the heap so their addresses never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isOpen = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, MonotonicClock.clockID)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Releases every waiter, now and later.
    func open() {
        pthread_mutex_lock(mutex)
        isOpen = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until the gate opens or `timeout` passes; true when it opened.
    func wait(timeout: Duration) -> Bool {
        var deadline = MonotonicClock.absoluteTimespec(at: MonotonicClock.now + timeout)

        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isOpen {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return isOpen }
        }
        return true
    }
}
