#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// Starts POSIX threads: the server's accept loop and connections, and the harness's own
/// background work (the status publisher, benchmark load).
///
/// Plain pthreads rather than Swift tasks because every connection blocks in poll and in
/// the handler; parking those on the cooperative pool (one thread per core) would let a
/// few slow handlers starve everything else in the process, including the harness's tasks.
/// Plain pthreads rather than Foundation's `Thread`, so that a program using this module need not
/// link Foundation's ICU-backed layer (about 35 MB of a static binary).
package enum PlainThread {
    /// Runs `body` on a new thread named `name` (visible in /proc and in debuggers).
    ///
    /// Returns the thread so a joinable one can be waited for with ``join(_:)``.
    @discardableResult
    package static func start(
        name: String,
        joinable: Bool = false,
        _ body: @escaping @Sendable () -> Void
    ) throws(SystemError) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if !joinable {
            // Detached: connection threads are never joined, and an undetached thread that
            // exits keeps its stack until joined, which would look like a leak in a soak.
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        }
        let payload = Unmanaged.passRetained(Payload(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        do {
            try SystemCall.returningErrno("pthread_create \(name)") {
                pthread_create(&thread, &attributes, { raw in
                    let payload = Unmanaged<Payload>.fromOpaque(raw!).takeRetainedValue()
                    PlainThread.nameCurrentThread(payload.name)
                    payload.body()
                    return nil
                }, payload)
            }
        } catch {
            Unmanaged<Payload>.fromOpaque(payload).release()
            throw error
        }
        return thread
    }

    /// Waits for a joinable thread to finish.
    package static func join(_ thread: pthread_t) {
        _ = pthread_join(thread, nil)
    }

    /// Names the calling thread through /proc (Swift's Glibc module lacks pthread_setname_np).
    /// Best effort: a missing /proc only loses the name.
    private static func nameCurrentThread(_ name: String) {
        guard let file = try? FileDescriptor.open("/proc/thread-self/comm", O_WRONLY) else { return }
        try? file.writeAll(Array(name.utf8.prefix(15)))
        try? file.close()
    }

    private final class Payload {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
