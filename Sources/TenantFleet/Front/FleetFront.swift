import SoakUnits
import Glibc
import MiniHTTP
import TenantRuntime

/// The front's request handling: `/t/<tenant>/…` to the tenant's node, `/_fleet/node/K/…` to node
/// K, `/_fleet/stats`, `/_fleet/health`, `/_fleet/membership` and `/metrics` (Prometheus text)
/// answered here. Blocking (it waits for the node), so
/// it runs on the HTTP server's handler threads.
///
/// A node that fails under a request (killed, reset, silent past the client's timeout) gives a
/// 503 with `Retry-After`, never a hang and never a retry on another node: the request may have
/// had effects there, and the client is the one to decide. A tenant whose node is down awaiting
/// its replacement gets a 503 whose `Retry-After` says when that is due. No serving node at all
/// is a 503 too.
package struct FleetFront: Sendable {
    package let table: NodeTable
    /// The controller of the front that owns the nodes; nil in a follower front, which routes
    /// by the metadata it pulls (``FleetMembership``) and decides nothing.
    package let controller: FleetController?
    /// A follower front's index, for its stats.
    package var frontIndex = 0
    /// Seconds a client is told to wait after a 503: about the time a replacement takes.
    package var retryAfterSeconds = 1
    /// Wall time a request waits for its partition's hand-over before it is answered 503.
    package var handoverWait: Duration = .seconds(3)

    package init(controller: FleetController) {
        self.controller = controller
        self.table = controller.table
    }

    /// A follower front over `table`, which its caller keeps adopting the leader's metadata into.
    package init(followerTable table: NodeTable, index: Int) {
        self.controller = nil
        self.table = table
        frontIndex = index
    }

    /// Answers one request.
    package func respond(to request: HTTPRequest) -> HTTPResponse {
        let path = request.path
        if path == "/_fleet/stats" {
            let stats = FleetStatsJSON.render(table: table, controller: controller, frontIndex: frontIndex)
            return HTTPResponse(json: Array(stats.utf8))
        }
        if path == "/_fleet/membership" {
            return HTTPResponse(text: table.membership.text)
        }
        if path == "/metrics" {
            return HTTPResponse(status: 200, text: FleetMetrics.render(table: table, controller: controller),
                                headers: ["Content-Type": PrometheusText.contentType])
        }
        if path == "/_fleet/health" || path == "/_runtime/health" {
            return table.servingNodes.isEmpty ? unavailable("no node serves yet") : HTTPResponse(text: "ok\n")
        }
        if let (node, rest) = Self.nodePath(path) {
            // A look at a node, never a change to it: a POST to its partitions would hand a
            // tenant's data to a node the controller did not choose, and two could read it.
            guard request.method == "GET" || request.method == "HEAD" else {
                return HTTPResponse(status: 405, text: "\(request.method) is not forwarded to a node; "
                    + "/_fleet/node/K/... takes GET or HEAD\n", headers: ["Allow": "GET, HEAD"])
            }
            guard let lease = table.lease(onNode: node) else {
                return HTTPResponse(status: 404, text: "\(node) is not serving; see /_fleet/stats\n")
            }
            return forward(request, rewrittenTo: rest + (request.query.map { "?" + $0 } ?? ""), on: lease, tenant: nil)
        }
        guard let tenant = Self.tenant(in: path) else {
            return HTTPResponse(status: 404, text: "no such path; try /t/<tenant>/<artifact> or /_fleet/stats\n")
        }
        switch routeWaitingForHandover(tenant) {
        case .node(let lease):
            return forward(request, rewrittenTo: request.target, on: lease, tenant: tenant)
        case .down(let node, let retryAfter):
            // Its tenants wait for its replacement rather than move: a node in a crash loop may
            // be killed by one of its own tenants, which must not take the other nodes down too.
            return unavailable("\(node), which serves \(tenant), is restarting", retryAfter: retryAfter)
        case .moving:
            return unavailable("\(tenant)'s registry partition is still being handed to another node")
        case .none:
            return unavailable("no node serves yet")
        }
    }

    /// The tenant's route, waiting out a partition hand-over (milliseconds, unless a slow request
    /// holds the old owner) for up to `handoverWait`, so a scale event is not a client's error.
    private func routeWaitingForHandover(_ tenant: String) -> Route {
        let deadline = ContinuousClock.now + handoverWait
        while true {
            let route = table.route(forTenant: tenant)
            guard case .moving = route, ContinuousClock.now < deadline else { return route }
            usleep(2_000)
        }
    }

    private func forward(_ request: HTTPRequest, rewrittenTo target: String, on lease: NodeLease,
                         tenant: String?) -> HTTPResponse {
        var outgoing = HTTPRequest(method: request.method, target: target, body: request.body)
        for (name, value) in request.headers where Self.forwardedHeaders.contains(name.lowercased()) {
            outgoing.headers.add(name: name, value: value)
        }
        do {
            var response = try lease.client.send(outgoing)
            table.release(lease, reusable: true, answeredTenant: (200..<300).contains(response.status) ? tenant : nil)
            if response.status == 421, controller == nil {
                // A follower's metadata lags the leader's by a pull: the node no longer owns the
                // tenant's partition. The node refused to read it; the client retries shortly.
                return unavailable("the fleet's routing is changing (\(lease.node) no longer owns \(tenant ?? "it"))")
            }
            response.headers.add(name: "X-Fleet-Node", value: "\(lease.node.rawValue)")
            return response
        } catch {
            table.release(lease, reusable: false, answeredTenant: nil)
            return unavailable("\(lease.node) failed under the request (\(error))")
        }
    }

    private func unavailable(_ why: String, retryAfter: Int? = nil) -> HTTPResponse {
        table.count { $0.unavailable += 1 }
        let seconds = retryAfter ?? retryAfterSeconds
        return HTTPResponse(status: 503, text: "\(why); retry in \(seconds) s\n",
                            headers: ["Retry-After": "\(seconds)"])
    }

    /// Headers a node may need; hop-by-hop ones (Connection, Keep-Alive) stay with this hop.
    static let forwardedHeaders: Set<String> = ["content-type", "accept", "user-agent", "x-request-id"]

    /// The tenant of `/t/<tenant>/…`, or nil.
    static func tenant(in path: String) -> String? {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].isEmpty, parts[1] == "t", let name = parts[2].split(separator: "/").first
        else { return nil }
        return String(name)
    }

    /// Node K and the rest of `/_fleet/node/K/rest`, or nil.
    static func nodePath(_ path: String) -> (NodeID, String)? {
        let prefix = "/_fleet/node/"
        guard path.hasPrefix(prefix) else { return nil }
        let after = path.dropFirst(prefix.count)
        let number = after.prefix { $0.isNumber }
        guard let index = Int(number), after.dropFirst(number.count).hasPrefix("/") else { return nil }
        return (NodeID(index), String(after.dropFirst(number.count)))
    }
}
