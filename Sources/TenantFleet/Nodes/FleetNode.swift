import MiniHTTP
import TenantRuntime

/// One node as the front sees it: where it listens, whether it takes requests, what it holds.
package struct FleetNode: Sendable {
    /// Where a node is in its life. Only `serving` nodes are sent requests; a `draining` node
    /// finishes what it holds and is then stopped (never killed under a request). A `down` node
    /// died and waits for its replacement: it keeps its tenants, whose requests are answered 503
    /// with `Retry-After` until the replacement serves (see ``FleetFront``).
    package enum Phase: String, Sendable, CaseIterable {
        case serving, draining, down
    }

    package let id: NodeID
    /// How many nodes have held this id before this one: a client for an earlier generation must
    /// never be handed back to the pool of a later one.
    package let generation: Int
    package let address: SocketAddress
    package let pid: Int32
    package var phase: Phase = .serving
    /// For a `down` node, the seconds a client is told to wait: until its replacement is due.
    package var retryAfterSeconds = 1
    /// Requests forwarded to this node and not yet answered.
    package var inFlight = 0
    /// Requests forwarded to this node since it started.
    package var requests = 0
    /// Tenants the node said it held loaded when last probed (0 until the first probe).
    package var loadedTenants = 0
    package let startedAt: SimulatedTime
    /// Keep-alive connections to this node not in use; they go when the node goes.
    var idleClients: [HTTPClient] = []
    var history = NodeHistory()

    /// The most tenants the node held loaded over its kept history.
    package var peakLoadedTenants: Int { history.peakLoadedTenants }
}

/// A request's hold on a node: taken before forwarding, given back when the answer is in.
package struct NodeLease: Sendable {
    package let node: NodeID
    package let generation: Int
    package let client: HTTPClient
}

/// Where the front sends a request for a tenant.
package enum Route: Sendable {
    /// To the tenant's node, on this lease.
    case node(NodeLease)
    /// Nowhere yet: the tenant's node died and its replacement is due in about this many seconds.
    case down(NodeID, retryAfterSeconds: Int)
    /// Not yet: the tenant's partition is being handed from one node to another.
    case moving
    /// Nowhere: no node serves (the fleet is starting or stopping).
    case none
}
