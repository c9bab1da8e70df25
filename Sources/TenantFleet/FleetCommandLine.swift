import TenantRuntime

/// `tenantd fleet`'s options, parsed in the library so every flag and refusal is tested.
package struct FleetOptions: Sendable, Equatable {
    package var registry = ""
    package var listen = "127.0.0.1:0"
    /// Nodes started at once; nil: `--min-nodes`.
    package var initialNodes: Int?
    package var rule = ScaleRule()
    /// Simulated seconds per wall second, for the front's scale window and passed to every node.
    package var timeScale = 1.0
    /// Flags after `--`, given to every node as they are (`--tenant-idle 1m`, `--eager …`).
    package var nodeArguments: [String] = []
    /// `--decision-service`: scale decisions are taken by a decision service and its replica,
    /// child processes of the front, instead of inside it.
    package var decisionService = false
    /// How long the replica waits for a silent primary before it takes over.
    package var takeoverAfter: Duration = .milliseconds(300)
    /// `--fronts N`: fronts in all, this one and N-1 followers.
    package var fronts = 1
    /// `--partitions P`: the registry is split in P partitions, each owned by one node at a time.
    package var partitions: Int?
    /// A leak the front itself commits, for proving that a soak names the front (not the nodes).
    package var injectedLeak: FrontLeak?

    /// Leaks `tenantd fleet --inject-leak` can put into the front.
    package enum FrontLeak: String, Sendable, CaseIterable {
        /// The routing table keeps the entry of every node that left (drained, crashed or replaced),
        /// with its stats history, a few KiB each: the front grows with scale events.
        case departedNodes = "departed-nodes"
    }

    package static let usage = """
        usage: tenantd fleet --registry DIR [options] [-- NODE OPTIONS]

        A front that owns tenantd nodes as child processes, each on its own loopback port over the same
        registry, and routes each tenant to one node by rendezvous hashing over the serving nodes.
        Prints "listening on HOST:PORT" once the first nodes serve.
          GET /t/<tenant>/...                 forwarded to the tenant's node (X-Fleet-Node says which)
          GET /_fleet/stats                   nodes, tenants per node, moves, scale decisions (JSON)
          GET /_fleet/node/K/<path>           forwarded to node K, e.g. /_fleet/node/0/_runtime/stats
          GET /_fleet/membership              the routing metadata follower fronts adopt (text)
          GET /metrics                        Prometheus text: nodes, tenants per node, moves, scale events,
                                              routing entries, the front's RSS

        options:
          --listen HOST:PORT        the front's address (default 127.0.0.1:0)
          --nodes N                 nodes to start with (default: --min-nodes)
          --min-nodes N             never fewer serving nodes (default 1)
          --max-nodes N             never more (default 4)
          --scale-on in-flight|tenants
                                    what the rule counts per serving node: requests in flight (default), or
                                    tenants loaded, read from each node's /_runtime/stats
          --scale-window D          simulated time each scale decision looks back over (default 60s)
          --scale-up-above X        grow when the mean per node over the window exceeds X
                                    (default 2 in-flight requests, 100 loaded tenants)
          --scale-down-below X      shrink when it falls below X (default 0.5 requests, 40 tenants)
          --time-scale N            simulated seconds per wall second, for the front and every node
          --partitions P            split the registry into P partitions: tenants are routed by their
                                    partition's owner, each node reads only its partitions, and a
                                    partition changes node only once the old one has unloaded it
          --decision-service        take scale decisions in a decision service (tenantd fleet-decider, a child
                                    process) with a replica that follows its log and takes over when the
                                    primary stops answering; the front reports its load in batches and
                                    applies the numbered decisions, each once
          --fronts N                run N fronts: this one and N-1 followers (tenantd fleet-front, children on
                                    their own ports, listed in /_fleet/stats) that route by this front's
                                    metadata, so every front sends a tenant to the same node
          --takeover-after D        wall time a silent primary is given before the replica takes over
                                    (default 300ms)
          --inject-leak departed-nodes
                                    the front's routing table keeps every departed node's entry (with its
                                    stats history, 8 KiB): the front's memory grows with scale events
          -- NODE OPTIONS           passed to every node as given (see tenantd --help)
        """

    /// Parses the arguments after `fleet`.
    package static func parse(_ arguments: [String]) throws(UsageError) -> FleetOptions {
        var options = FleetOptions()
        let split = arguments.firstIndex(of: "--")
        var reader = ArgumentReader(Array(arguments[..<(split ?? arguments.endIndex)]))
        if let split { options.nodeArguments = Array(arguments[(split + 1)...]) }
        let reservedFlags = ["--registry", "--listen", "--time-scale", "--partitions"]
        for reserved in reservedFlags where options.nodeArguments.contains(reserved) {
            throw UsageError("\(reserved) is the fleet's to set; put it before --")
        }
        var upAbove: Double?, downBelow: Double?
        while let flag = reader.next() {
            switch flag {
            case "--registry": options.registry = try reader.value(for: flag)
            case "--listen": options.listen = try reader.value(for: flag)
            case "--nodes": options.initialNodes = try reader.count(for: flag)
            case "--scale-up-above":
                upAbove = try reader.number(for: flag, expected: "a number per node like 2 or 100")
            case "--scale-down-below":
                downBelow = try reader.number(for: flag, expected: "a number per node like 0.5 or 40")
            case "--decision-service": options.decisionService = true
            case "--fronts": options.fronts = try reader.count(for: flag)
            case "--takeover-after": options.takeoverAfter = try reader.duration(for: flag)
            case "--partitions": options.partitions = try reader.count(for: flag, within: TenantdLimits.partitions)
            case "--inject-leak":
                let text = try reader.value(for: flag)
                guard let leak = FrontLeak(rawValue: text) else {
                    let kinds = FrontLeak.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UsageError(
                        "--inject-leak: the front leaks in one way, \(kinds); found \"\(text.prefix(40))\"")
                }
                options.injectedLeak = leak
            case "--time-scale":
                options.timeScale = try reader.number(for: flag, expected: "a positive number like 1440")
                guard options.timeScale > 0 else { throw UsageError("--time-scale: expected a positive number") }
            default:
                guard try options.rule.read(flag, from: &reader) else {
                    throw UsageError("unknown fleet option \(flag); see tenantd fleet --help")
                }
            }
        }
        guard !options.registry.isEmpty else { throw UsageError("--registry DIR is required; see tenantd fleet --help") }
        // Thresholds not given follow the measure, so `--scale-on tenants` alone is a working rule.
        let defaults = options.rule.measure.defaultThresholds
        options.rule.upAbove = upAbove ?? defaults.upAbove
        options.rule.downBelow = downBelow ?? defaults.downBelow
        if let problem = options.rule.problem { throw UsageError(problem) }
        let initial = options.startingNodes
        guard (options.rule.minNodes...options.rule.maxNodes).contains(initial) else {
            throw UsageError("--nodes \(initial) is outside --min-nodes \(options.rule.minNodes)…--max-nodes \(options.rule.maxNodes)")
        }
        return options
    }

    /// What every follower front is given besides its index, leader and deciders.
    package var followerCommandLine: [String] {
        ["--time-scale", "\(timeScale)"] + (partitions.map { ["--partitions", "\($0)"] } ?? [])
    }

    /// How many nodes start with the front.
    package var startingNodes: Int { initialNodes ?? rule.minNodes }

    /// Every node's arguments after the program name (the launcher adds `--listen`).
    package var nodeCommandLine: [String] {
        ["--registry", registry, "--time-scale", "\(timeScale)"] + (partitions.map { ["--partitions", "\($0)"] } ?? [])
            + nodeArguments
    }
}
