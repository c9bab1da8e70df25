import Glibc
import PosixSupport

extension TenantHost {
    /// The partitions this node owns, or nil when it reads the whole registry.
    public var ownedPartitions: [Int]? { ownership.map { $0.current.sorted() } }

    /// Makes `owned` the partitions this node may read. Partitions given up are refused to new
    /// requests at once; their loaded tenants are unloaded as soon as nothing is in flight on
    /// them, waiting up to `timeout` of wall time. Only when the answer says nothing is still
    /// busy may another node be given them.
    public func own(partitions owned: Set<Int>, waitingUpTo timeout: Duration) -> PartitionChange? {
        guard let ownership else { return nil }
        ownership.current = owned
        let deadline = MonotonicClock.now + timeout
        var released = 0
        while true {
            let (unloading, busy) = slots.withLock { slots -> ([TenantSlot], Int) in
                var unloading: [TenantSlot] = [], busy = 0
                for slot in slots.values where !owned.contains(ownership.scheme.partition(of: slot.name.text)) {
                    if slot.lifecycle.unloadForHandover() {
                        slot.transition = CompletionGate()
                        unloading.append(slot)
                    } else {
                        busy += 1  // loading, unloading or serving: wait for it
                    }
                }
                return (unloading, busy)
            }
            for slot in unloading { unload(slot) }
            released += unloading.count
            if busy == 0 || MonotonicClock.now >= deadline {
                return PartitionChange(owned: owned.sorted(), releasedTenants: released, stillBusy: busy)
            }
            usleep(1_000)
        }
    }
}
