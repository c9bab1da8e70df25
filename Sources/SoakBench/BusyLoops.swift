import Glibc
import PosixSupport
import Synchronization

/// Threads that spin on a core each until stopped: the noisy neighbours of `soak bench
/// contention`, as a CI runner's other jobs would be. They live in the bench process, beside
/// (not inside) the `soak run` they disturb, and compete for the same cores at the same priority.
final class BusyLoops: @unchecked Sendable {
    private let stopping = Atomic(false)
    private var threads: [pthread_t] = []

    /// Starts `count` spinning threads.
    init(count: Int) throws {
        for _ in 0..<count {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self).toOpaque()
            do {
                try SystemCall.returningErrno("pthread_create busy loop") {
                    pthread_create(&thread, nil, { raw in
                        let loops = Unmanaged<BusyLoops>.fromOpaque(raw!).takeRetainedValue()
                        loops.spin()
                        return nil
                    }, box)
                }
            } catch {
                Unmanaged<BusyLoops>.fromOpaque(box).release()
                stop()
                throw error
            }
            threads.append(thread)
        }
    }

    deinit { stop() }

    /// Stops every loop and waits for it to end.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    private func spin() {
        var counter: UInt64 = 0
        while !stopping.load(ordering: .relaxed) {
            // Plain arithmetic, no syscall and no yield: a core fully taken.
            counter &+= 1
        }
        withExtendedLifetime(counter) {}
    }
}
