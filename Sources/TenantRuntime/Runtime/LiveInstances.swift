import Synchronization

/// Counts live objects of the runtime's main classes, incremented in `init` and decremented in
/// `deinit`, so a retain cycle shows as a count that never returns to its baseline.
///
/// One counter per runtime rather than a global, so tests running side by side stay independent.
public final class LiveInstances: Sendable {
    /// The classes counted.
    public enum Kind: String, CaseIterable, Sendable {
        case tenant = "Tenant"
        case artifact = "Artifact"
        case serviceInstance = "ServiceInstance"
        case webappInstance = "WebappInstance"
        case loadCoordinator = "TenantSlot"
    }

    // Objects are created per load and deploy, not per request: one small lock is cheap enough.
    private let counts = Mutex([Int](repeating: 0, count: Kind.allCases.count))

    public init() {}

    func created(_ kind: Kind) { counts.withLock { $0[Self.index(kind)] += 1 } }
    func destroyed(_ kind: Kind) { counts.withLock { $0[Self.index(kind)] -= 1 } }

    /// The live count of one class.
    public func count(of kind: Kind) -> Int { counts.withLock { $0[Self.index(kind)] } }

    /// Every class's live count.
    public var snapshot: [Kind: Int] {
        Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, count(of: $0)) })
    }

    /// The sum over all classes.
    public var total: Int { Kind.allCases.reduce(0) { $0 + count(of: $1) } }

    private static func index(_ kind: Kind) -> Int { Kind.allCases.firstIndex(of: kind)! }
}
