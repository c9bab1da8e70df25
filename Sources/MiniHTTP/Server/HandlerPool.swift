#if canImport(Glibc)
import Glibc
#endif
import PosixSupport
import Synchronization

/// Runs the requests the event loop will not answer on its own thread: handlers that may block
/// (loading a tenant, waiting for another request's load), each on a thread of its own.
///
/// Threads start on demand, when a request arrives and none is free, up to `limit` (the server's
/// connection limit, so a blocked handler never holds up another connection's request, as with a
/// thread per connection), and then stay, parked, for the next one: the thread count follows the
/// peak of concurrent slow requests, never the number of connections. A finished response is
/// queued for the loop, which ``doorbell`` wakes.
final class HandlerPool: @unchecked Sendable {
    /// A request for the pool, under the loop's number for its connection.
    struct Job: Sendable {
        let connection: Int
        let request: HTTPRequest
    }

    /// A handled request, for the loop to write.
    struct Finished: Sendable {
        let connection: Int
        let request: HTTPRequest
        let response: HTTPResponse
    }

    private let handler: HTTPServer.Handler
    private let limit: Int
    private let doorbell: Doorbell
    private let finished = Mutex<[Finished]>([])
    // Guarded by `mutex`, which `condition` waits on; a pthread pair because Synchronization has
    // no condition variable, and parked threads must sleep, not poll.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue: [Job] = []
    private var threads = 0
    private var parked = 0
    private var stopping = false

    init(limit: Int, doorbell: Doorbell, handler: @escaping HTTPServer.Handler) {
        self.limit = max(1, limit)
        self.doorbell = doorbell
        self.handler = handler
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Queues `job`, starting a thread when none is parked. False when no thread could run it
    /// (none exists and none could start): the caller answers 503.
    func submit(_ job: Job) -> Bool {
        let startThread = locked { () -> Bool in
            queue.append(job)
            guard parked < queue.count, threads < limit else { return false }
            threads += 1
            return true
        }
        if startThread {
            do {
                try PlainThread.start(name: "http-handler") { self.work() }
            } catch {
                let stranded = locked { () -> Bool in
                    threads -= 1
                    guard threads == 0, let index = queue.firstIndex(where: { $0.connection == job.connection })
                    else { return false }
                    queue.remove(at: index)
                    return true
                }
                if stranded { return false }
            }
        }
        pthread_cond_signal(condition)
        return true
    }

    /// The responses finished since the last call, in the order they finished.
    func takeFinished() -> [Finished] {
        finished.withLock { finished in
            defer { finished.removeAll(keepingCapacity: true) }
            return finished
        }
    }

    /// Lets the threads leave once the queue is empty. A handler still running finishes on its
    /// own; its response is queued for a loop that is gone, and dropped with the pool.
    func stop() {
        locked { stopping = true }
        pthread_cond_broadcast(condition)
    }

    private func work() {
        while let job = next() {
            let response = handler(job.request)
            finished.withLock {
                $0.append(Finished(connection: job.connection, request: job.request, response: response))
            }
            doorbell.ring()
        }
    }

    /// The next job, parking until there is one; nil when the pool stops.
    private func next() -> Job? {
        locked {
            while queue.isEmpty && !stopping {
                parked += 1
                pthread_cond_wait(condition, mutex)
                parked -= 1
            }
            guard !queue.isEmpty else {
                threads -= 1
                return nil
            }
            return queue.removeFirst()
        }
    }

    private func locked<Value>(_ body: () -> Value) -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
