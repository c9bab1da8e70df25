import MiniHTTP
import TenantRuntime

/// One node as the front sees it: where it listens, whether it takes requests, what it holds.
package struct FleetNode: Sendable {
    /// Where a node is in its life. Only `serving` nodes are routed to; a `draining` node finishes
    /// what it holds and is then stopped (never killed under a request).
    package enum Phase: String, Sendable {
        case serving, draining
    }

    package let id: NodeID
    /// How many nodes have held this id before this one: a client for an earlier generation must
    /// never be handed back to the pool of a later one.
    package let generation: Int
    package let address: SocketAddress
    package let pid: Int32
    package var phase: Phase = .serving
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
