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

    package static let usage = """
        usage: tenantd fleet --registry DIR [options] [-- NODE OPTIONS]

        A front that owns tenantd nodes as child processes, each on its own loopback port over the same
        registry, and routes each tenant to one node by rendezvous hashing over the serving nodes.
        Prints "listening on HOST:PORT" once the first nodes serve.
          GET /t/<tenant>/...                 forwarded to the tenant's node (X-Fleet-Node says which)
          GET /_fleet/stats                   nodes, tenants per node, moves, scale decisions (JSON)
          GET /_fleet/node/K/<path>           forwarded to node K, e.g. /_fleet/node/0/_runtime/stats

        options:
          --listen HOST:PORT        the front's address (default 127.0.0.1:0)
          --nodes N                 nodes to start with (default: --min-nodes)
          --min-nodes N             never fewer serving nodes (default 1)
          --max-nodes N             never more (default 4)
          --scale-window D          simulated time each scale decision looks back over (default 60s)
          --scale-up-above X        grow when mean in-flight requests per node exceed X (default 2)
          --scale-down-below X      shrink when it falls below X (default 0.5)
          --time-scale N            simulated seconds per wall second, for the front and every node
          -- NODE OPTIONS           passed to every node as given (see tenantd --help)
        """

    /// Parses the arguments after `fleet`.
    package static func parse(_ arguments: [String]) throws(UsageError) -> FleetOptions {
        var options = FleetOptions()
        let split = arguments.firstIndex(of: "--")
        var reader = ArgumentReader(Array(arguments[..<(split ?? arguments.endIndex)]))
        if let split { options.nodeArguments = Array(arguments[(split + 1)...]) }
        for reserved in ["--registry", "--listen", "--time-scale"] where options.nodeArguments.contains(reserved) {
            throw UsageError("\(reserved) is the fleet's to set; put it before --")
        }
        while let flag = reader.next() {
            switch flag {
            case "--registry": options.registry = try reader.value(for: flag)
            case "--listen": options.listen = try reader.value(for: flag)
            case "--nodes": options.initialNodes = try reader.count(for: flag)
            case "--min-nodes": options.rule.minNodes = try reader.count(for: flag)
            case "--max-nodes": options.rule.maxNodes = try reader.count(for: flag)
            case "--scale-window": options.rule.window = try reader.duration(for: flag)
            case "--scale-up-above":
                options.rule.upAbove = try reader.number(for: flag, expected: "a number of requests like 2")
            case "--scale-down-below":
                options.rule.downBelow = try reader.number(for: flag, expected: "a number of requests like 0.5")
            case "--time-scale":
                options.timeScale = try reader.number(for: flag, expected: "a positive number like 1440")
                guard options.timeScale > 0 else { throw UsageError("--time-scale: expected a positive number") }
            default: throw UsageError("unknown fleet option \(flag); see tenantd fleet --help")
            }
        }
        guard !options.registry.isEmpty else { throw UsageError("--registry DIR is required; see tenantd fleet --help") }
        if let problem = options.rule.problem { throw UsageError(problem) }
        let initial = options.startingNodes
        guard (options.rule.minNodes...options.rule.maxNodes).contains(initial) else {
            throw UsageError("--nodes \(initial) is outside --min-nodes \(options.rule.minNodes)…--max-nodes \(options.rule.maxNodes)")
        }
        return options
    }

    /// How many nodes start with the front.
    package var startingNodes: Int { initialNodes ?? rule.minNodes }

    /// Every node's arguments after the program name (the launcher adds `--listen`).
    package var nodeCommandLine: [String] {
        ["--registry", registry, "--time-scale", "\(timeScale)"] + nodeArguments
    }
}
