import Synchronization

/// The registry split into partitions (the seed's Solution 7): a tenant's partition is a stable
/// hash of its name modulo the count, so a fleet's front and every node agree on it without
/// asking each other. A node given `--partitions P` reads only the tenants of the partitions it
/// owns, and a fleet hands a partition from one node to the next with the old owner unloading its
/// tenants before the new one may load them: a tenant's data is never read by two nodes at once.
public struct PartitionScheme: Sendable, Equatable {
    /// How many partitions the registry is split into.
    public let count: Int

    /// A scheme of `count` partitions; `count` must be at least 1.
    public init(count: Int) {
        precondition(count >= 1, "a registry has at least one partition")
        self.count = count
    }

    /// The partition `tenant` belongs to, in 0..<count.
    public func partition(of tenant: String) -> Int {
        Int(Self.stableHash(tenant) % UInt64(count))
    }

    /// FNV-1a over the UTF-8 bytes, then splitmix64's finaliser: stable across processes and runs,
    /// unlike `Hasher`, which is seeded per process and would make a front and a node disagree.
    /// FNV alone clusters on names that differ in their last digits ("t1", "t2", …).
    package static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return mix(hash)
    }

    /// splitmix64's finaliser.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The partitions a node may read now. Starts empty: a node owns nothing until its fleet says so.
final class PartitionOwnership: Sendable {
    let scheme: PartitionScheme
    private let owned = Mutex<Set<Int>>([])

    init(scheme: PartitionScheme) { self.scheme = scheme }

    func owns(_ tenant: RegistryName) -> Bool {
        let partition = scheme.partition(of: tenant.text)
        return owned.withLock { $0.contains(partition) }
    }

    var current: Set<Int> {
        get { owned.withLock { $0 } }
        set { owned.withLock { $0 = newValue } }
    }
}

/// What a change of owned partitions did.
public struct PartitionChange: Sendable, Equatable {
    /// The partitions owned now, in order.
    public var owned: [Int]
    /// Tenants of released partitions unloaded by the change.
    public var releasedTenants: Int
    /// Tenants of released partitions still loaded when the wait ran out (a request in flight or
    /// a load under way): the caller must not give their partitions to another node.
    public var stillBusy: Int
}
