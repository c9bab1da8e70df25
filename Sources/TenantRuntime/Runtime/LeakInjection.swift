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
final class LeakInjector: Sendable {
    let kind: LeakKind?
    let bytesPerLeak: Int
    private let cache = Mutex<[[UInt8]]>([])
    private let neverOpens = CompletionGate()

    init(kind: LeakKind?, bytesPerLeak: Int) {
        self.kind = kind
        self.bytesPerLeak = bytesPerLeak
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
            cache.withLock { $0.append([UInt8](repeating: 2, count: bytesPerLeak)) }
        case .fd:
            // Never closed, on purpose; a failed open (EMFILE at last) plants nothing more.
            _ = try? FileDescriptor.open("/dev/null", O_RDONLY)
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
            } catch {
                Unmanaged<CompletionGate>.fromOpaque(box).release()
            }
        }
    }
}
