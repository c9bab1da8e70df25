import Glibc
import PosixSupport
import Synchronization

/// The leaks `--inject-leak` can plant, to prove the harness finds each one.
public enum LeakKind: String, Sendable, CaseIterable {
    /// A closure stored on the loaded object that captures that object.
    case retainCycle = "retain-cycle"
    /// An append to a cache that is never pruned.
    case globalCache = "global-cache"
    /// A descriptor opened and never closed.
    case fd
    /// A thread started and never joined; it blocks for the life of the process.
    case thread
}

/// Plants one leak per tenant load and per artifact deployment.
///
/// Each leak is of a counted type (`LiveInstances`), as the same bug in a real runtime would be an
/// object, a descriptor or a thread of some class: the harness should name it, not only see memory.
final class LeakInjector: Sendable {
    let kind: LeakKind?
    let bytesPerLeak: Int
    private let live: LiveInstances
    private let cache = Mutex<[GlobalCacheEntry]>([])
    private let neverOpens = CompletionGate()

    init(kind: LeakKind?, bytesPerLeak: Int, live: LiveInstances = LiveInstances()) {
        self.kind = kind
        self.bytesPerLeak = bytesPerLeak
        self.live = live
    }

    /// Leaks once on behalf of `owner`; `retain` stores the self-capturing closure for retain-cycle.
    func leak(retaining owner: AnyObject, into retain: (@escaping @Sendable () -> Void) -> Void) {
        switch kind {
        case nil:
            return
        case .retainCycle:
            // The closure captures the owner strongly and the owner keeps the closure: neither dies.
            nonisolated(unsafe) let captured = owner
            let ballast = [UInt8](repeating: 1, count: bytesPerLeak)
            retain { _ = (captured, ballast.count) }
        case .globalCache:
            let entry = GlobalCacheEntry(bytes: bytesPerLeak, live: live)
            cache.withLock { $0.append(entry) }
        case .fd:
            // Never closed, on purpose; a failed open (EMFILE at last) plants nothing more.
            if (try? FileDescriptor.open("/dev/null", O_RDONLY)) != nil { live.created(.heldDescriptor) }
        case .thread:
            let gate = neverOpens
            var thread = pthread_t()
            let box = Unmanaged.passRetained(gate).toOpaque()
            do {
                try SystemCall.returningErrno("pthread_create") {
                    pthread_create(&thread, nil, { raw in
                        let gate = Unmanaged<CompletionGate>.fromOpaque(raw!).takeRetainedValue()
                        while !gate.wait(timeout: .seconds(3600)) {}
                        return nil
                    }, box)
                }
                live.created(.parkedThread)
            } catch {
                Unmanaged<CompletionGate>.fromOpaque(box).release()
            }
        }
    }
}

/// One entry of the injected never-pruned cache: its own type, so the verdict can name the cache.
final class GlobalCacheEntry: Sendable {
    let payload: [UInt8]
    private let live: LiveInstances

    init(bytes: Int, live: LiveInstances) {
        payload = [UInt8](repeating: 2, count: bytes)
        self.live = live
        live.created(.globalCacheEntry)
    }

    deinit { live.destroyed(.globalCacheEntry) }
}
