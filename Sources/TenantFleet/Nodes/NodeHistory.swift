import TenantRuntime

/// The last samples the front took of one node: what the controller probed and what the front
/// counted, kept so `/_fleet/stats` can show a node's peak and not only its latest figure.
///
/// Its storage is reserved in full when the node joins (a few KiB), so an entry the routing table
/// keeps costs the same whether its node lived a second or a day: that is the payload
/// `--inject-leak departed-nodes` leaves behind for every node that goes.
struct NodeHistory: Sendable {
    struct Sample: Sendable {
        var simulatedSeconds: Double
        var loadedTenants: Int
        var inFlight: Int
        var requests: Int
    }

    /// Samples kept per node: 256 × 32 bytes, 8 KiB.
    static let capacity = 256
    private var samples: ContiguousArray<Sample>
    private var next = 0

    init() {
        samples = []
        samples.reserveCapacity(Self.capacity)
    }

    mutating func append(_ sample: Sample) {
        if samples.count < Self.capacity {
            samples.append(sample)
        } else {
            samples[next] = sample
        }
        next = (next + 1) % Self.capacity
    }

    /// The most tenants any kept sample saw loaded.
    var peakLoadedTenants: Int { samples.reduce(0) { max($0, $1.loadedTenants) } }

    /// Bytes the history holds, reserved or used.
    var bytes: Int { samples.capacity * MemoryLayout<Sample>.stride }
}
