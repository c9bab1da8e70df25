import Synchronization

/// Counts live objects of the runtime's main types, incremented in `init` and decremented in
/// `deinit`, so a retain cycle shows as a count that never returns to its baseline.
///
/// One counter per runtime rather than a global, so tests running side by side stay independent.
/// `/_runtime/stats` publishes every count by type name, so the harness can judge each type as a
/// series of its own and say *which* type grows, not only that memory does.
public final class LiveInstances: Sendable {
    /// The types counted. Every type the runtime allocates per load or deployment is here, so a
    /// leak of any of them is named.
    public enum Kind: String, CaseIterable, Sendable {
        case tenant = "Tenant"
        case artifact = "Artifact"
        /// Every deployed form of an artifact, service or webapp: what a ghost turns into.
        case deployedArtifact = "DeployedArtifact"
        case serviceInstance = "ServiceInstance"
        case webappInstance = "WebappInstance"
        /// The 1 KiB chunks of state a service builds when deployed.
        case payloadBuffer = "PayloadBuffer"
        case loadCoordinator = "TenantSlot"
        /// Entries of a process-wide cache that nothing prunes (only `--inject-leak global-cache`
        /// fills one).
        case globalCacheEntry = "GlobalCacheEntry"
        /// Descriptors the runtime keeps open beyond the call that opened them.
        case heldDescriptor = "HeldDescriptor"
        /// Threads the runtime started for a load that are still alive.
        case parkedThread = "ParkedThread"
    }

    // Objects are created per load and deploy, not per request: one small lock is cheap enough.
    private let counts = Mutex([Int](repeating: 0, count: Kind.allCases.count))
    private let gauges = Mutex<[(name: String, read: @Sendable () -> Int)]>([])

    /// Counts at zero.
    public init() {}

    func created(_ kind: Kind, count: Int = 1) { counts.withLock { $0[Self.index(kind)] += count } }
    func destroyed(_ kind: Kind, count: Int = 1) { counts.withLock { $0[Self.index(kind)] -= count } }

    /// Adds a type counted outside the runtime (tenantd's HTTP connections): `read` is called at
    /// each snapshot and its value published under `name`.
    public func addGauge(_ name: String, read: @escaping @Sendable () -> Int) {
        gauges.withLock { $0.append((name, read)) }
    }

    /// The live count of one type.
    public func count(of kind: Kind) -> Int { counts.withLock { $0[Self.index(kind)] } }

    /// Every type's live count.
    public var snapshot: [Kind: Int] {
        Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, count(of: $0)) })
    }

    /// Every type's live count by name, the gauges included.
    public var snapshotByName: [String: Int] {
        var byName = Dictionary(uniqueKeysWithValues: snapshot.map { ($0.key.rawValue, $0.value) })
        for gauge in gauges.withLock({ $0 }) { byName[gauge.name] = gauge.read() }
        return byName
    }

    /// The sum over the runtime's own types (gauges are not objects of the runtime).
    public var total: Int { Kind.allCases.reduce(0) { $0 + count(of: $1) } }

    private static func index(_ kind: Kind) -> Int { Kind.allCases.firstIndex(of: kind)! }
}
