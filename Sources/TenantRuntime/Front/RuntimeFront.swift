/// Maps HTTP requests onto a `TenantHost`, independent of any socket code, so the routing, the
/// `X-*-Was` headers and the error answers are tested without a server.
///
///     GET /t/<tenant>/<artifact>[/rest]   invoke an artifact
///     GET /_runtime/stats                 JSON counters (`RuntimeStats`)
///     GET /_runtime/health                `ok`
///     GET|POST /_runtime/partitions       the registry partitions a node owns (`--partitions`)
public struct RuntimeFront: Sendable {
    /// The runtime the front serves.
    public let host: TenantHost

    /// A front for `host`.
    public init(host: TenantHost) {
        self.host = host
    }

    /// Answers one request, loading and deploying as needed. `path` excludes the query string.
    /// `query` is the text after `?`, which only the clock endpoint reads.
    public func respond(method: String, path: String, query: String? = nil) -> FrontResponse {
        if path == ClockEndpoint.path { return ClockEndpoint(host: host).respond(method: method, query: query) }
        if path == PartitionEndpoint.path {
            return PartitionEndpoint(host: host).respond(method: method, query: query)
        }
        return respond(method: method, path: path, mayBlock: true)!
    }

    /// Answers the request when that cannot block (see `TenantHost.invokeIfWarm`); nil when it
    /// needs a load, a deployment or a wait, for the caller to `respond` on a thread that may block.
    ///
    /// Under the stepped clock it answers everything, loads and deployments included: the
    /// harness moves time one step at a time and waits for each answer, so a hand-off to a
    /// handler thread and back would add two thread wake-ups to every step and every cold
    /// request, which on a busy machine cost more than the work. With every invocation on the
    /// one event-loop thread no other thread can hold a load's gate, so nothing here waits.
    public func respondIfWarm(method: String, path: String, query: String? = nil) -> FrontResponse? {
        guard host.clock.kind == .stepped else { return respond(method: method, path: path, mayBlock: false) }
        if path == ClockEndpoint.path { return ClockEndpoint(host: host).respond(method: method, query: query) }
        // The partitions' hand-over belongs to the fleet, which has no stepped clock.
        if path == PartitionEndpoint.path { return nil }
        return respond(method: method, path: path, mayBlock: true)
    }

    private func respond(method: String, path: String, mayBlock: Bool) -> FrontResponse? {
        // The clock under any clock but the stepped one (which `respondIfWarm` answers), and the
        // partitions, whose hand-over may wait for requests in flight, go to a handler.
        if path == ClockEndpoint.path || path == PartitionEndpoint.path { return nil }
        guard method == "GET" || method == "HEAD" else {
            return .text(405, "method \(method) is not allowed; use GET\n", headers: [("Allow", "GET, HEAD")])
        }
        if path == "/_runtime/health" { return .text(200, "ok\n") }
        if path == "/_runtime/stats" {
            return FrontResponse(status: 200, headers: [("Content-Type", "application/json")], body: host.stats().jsonBytes())
        }
        guard path.hasPrefix("/t/") else {
            return .text(404, "no route for \(path.prefix(200)); expected /t/<tenant>/<artifact>[/path] or /_runtime/stats\n")
        }
        let parts = path.dropFirst(3).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .text(400, "expected /t/<tenant>/<artifact>[/path], found \(path.prefix(200))\n")
        }
        let rest = parts.count == 3 ? "/" + parts[2] : "/"
        let tenant = String(parts[0]), artifact = String(parts[1])
        let found = mayBlock
            ? host.invoke(tenant: tenant, artifact: artifact, rest: rest)
            : host.invokeIfWarm(tenant: tenant, artifact: artifact, rest: rest)
        guard let invocation = found else { return nil }
        var headers = [("Content-Type", invocation.contentType)]
        if let tenantWas = invocation.tenantWas { headers.append(("X-Tenant-Was", tenantWas.rawValue)) }
        if let artifactWas = invocation.artifactWas { headers.append(("X-Artifact-Was", artifactWas.rawValue)) }
        headers.append(("X-Load-Millis", RuntimeFront.millis(invocation.loadMilliseconds)))
        if !invocation.expiredOnArrival.isEmpty {
            // The sweep had not run when the request came; the request expired what it found.
            headers.append(("X-Expired-On-Arrival", invocation.expiredOnArrival.map(\.rawValue).joined(separator: ",")))
        }
        return FrontResponse(status: invocation.status, headers: headers, body: invocation.body)
    }

    /// Milliseconds with three decimals, without Foundation's locale-dependent formatting.
    static func millis(_ value: Double) -> String {
        let micros = Int((value * 1000).rounded())
        let fraction = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

/// An answer from `RuntimeFront`, for the HTTP layer to write.
public struct FrontResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header fields, in order, besides the framing ones the server adds.
    public var headers: [(String, String)]
    /// The body.
    public var body: [UInt8]

    /// A response of `status` with `headers` and `body`.
    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> FrontResponse {
        FrontResponse(status: status, headers: [("Content-Type", "text/plain")] + headers, body: Array(text.utf8))
    }

    /// The value of header `name`, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
