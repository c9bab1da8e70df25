import SoakAnalysis

extension Profile {
    /// `target.tenantd.fleet`: run `tenantd fleet`, a front that owns tenantd nodes as its children,
    /// instead of one tenantd. The tenantd fields apply to every node; these to the front.
    package struct FleetSettings: Sendable, Equatable {
        /// Nodes started with the front; nil: `minNodes`.
        package var nodes: Int? = nil
        package var minNodes: Int = 1
        package var maxNodes: Int = 4
        /// Simulated time each scale decision looks back over.
        package var scaleWindow: Duration = .seconds(60)
        /// What the front scales on (`--scale-on`): `in-flight` requests or loaded `tenants` per
        /// node; nil leaves the front's default.
        package var scaleOn: String? = nil
        package var scaleUpAbove: Double? = nil
        package var scaleDownBelow: Double? = nil
        /// The front's own fault (`--inject-leak departed-nodes`); nil for a clean front.
        package var injectLeak: String? = nil
        /// More flags for the front, before the nodes' `--`.
        package var extraArguments: [String] = []

        package init() {}

        /// The scale rules the front knows.
        package static let scaleOnKinds = ["in-flight", "tenants"]

        /// The thresholds the front will use: the profile's, else the front's defaults for the
        /// measure (TenantFleet's `ScaleRule.Measure.defaultThresholds`: 2 and 0.5 requests in
        /// flight, 100 and 40 loaded tenants), so a profile that sets one of them is checked
        /// against the other before a run starts the front only to see it refuse them.
        package var effectiveThresholds: (upAbove: Double, downBelow: Double) {
            let defaults: (Double, Double) = scaleOn == "tenants" ? (100, 40) : (2, 0.5)
            return (scaleUpAbove ?? defaults.0, scaleDownBelow ?? defaults.1)
        }
        /// The front's fault injections.
        package static let leakKinds = ["departed-nodes"]

        /// Slots judged per node: the `minNodes` nodes a fleet never shrinks below live the whole
        /// run (the front drains the highest id first and starts the lowest free one), so their
        /// series decide; the slots above come and go with scaling and only warn.
        package var processRoles: ProcessRoles {
            // The front's other children (`tenantd fleet-decider`, `tenantd fleet-front` followers)
            // are not nodes: they stay in the tree's sums, out of the node slots.
            // Clamped: the columns are declared while decoding, before the validator refuses a
            // count out of range, and a fuzzed `-1` or `1e9` must give a refusal, not a trap.
            let bound = ProfileLimits.fleetNodes.range.upperBound
            return ProcessRoles(root: "front", children: "node", slots: min(max(maxNodes, 0), bound),
                                decidingSlots: min(max(minNodes, 0), bound), otherChildrenArgument: "fleet-")
        }
    }

    /// Per-process series for a target that is a process tree: the root under one role name and
    /// each direct child in a numbered slot of another (`front_rss`, `node0_rss`, `node1_rss`, …).
    ///
    /// A slot is the harness's, not the process's: a child takes the lowest free slot when first
    /// seen and frees it when it exits, so a slot's series can span several processes in turn, and
    /// is empty (missing, never zero) while no process holds it. `<role><k>_pid` records which
    /// process held it at each sample.
    package struct ProcessRoles: Sendable, Equatable {
        package var root: String
        package var children: String
        package var slots: Int
        /// Slots `0..<decidingSlots` decide the verdict; the others only warn.
        package var decidingSlots: Int
        /// A child whose first argument starts with this is of another role and takes no slot.
        package var otherChildrenArgument: String?

        package init(root: String, children: String, slots: Int, decidingSlots: Int, otherChildrenArgument: String? = nil) {
            self.root = root
            self.children = children
            self.slots = slots
            self.decidingSlots = decidingSlots
            self.otherChildrenArgument = otherChildrenArgument
        }

        /// The prefix of slot `slot`'s columns: `node3`.
        package func prefix(slot: Int) -> String { "\(children)\(slot)" }
    }
}

/// The per-process columns a process-tree target declares, known from the profile alone.
package enum ProcessColumns {
    /// The measures read per process, each judged like the whole tree's metric of the same name.
    package static let measures: [Metric] = [.rss, .rssAnon, .fds, .threads]

    /// The roles of `target`'s tree; nil when it is sampled as one.
    package static func roles(of target: Profile.Target) -> Profile.ProcessRoles? {
        guard case .tenantd(let tenantd) = target else { return nil }
        return tenantd.fleet?.processRoles
    }

    /// Every prefix in column order: the root's, then each slot's.
    static func prefixes(_ roles: Profile.ProcessRoles) -> [(prefix: String, decides: Bool)] {
        [(roles.root, true)] + (0..<roles.slots).map { (roles.prefix(slot: $0), $0 < roles.decidingSlots) }
    }

    /// The judged per-process metrics, in report order.
    package static func metrics(of target: Profile.Target) -> [Metric] {
        guard let roles = roles(of: target) else { return [] }
        return prefixes(roles).flatMap { prefix, decides in
            measures.map { Metric(declared: "\(prefix)_\($0.rawValue)", unit: $0.unit, decides: decides) }
        }
    }

    /// Every per-process column in samples.csv order: the judged ones, then each slot's pid.
    package static func columns(of target: Profile.Target) -> [String] {
        guard let roles = roles(of: target) else { return [] }
        return metrics(of: target).map(\.rawValue) + (0..<roles.slots).map { "\(roles.prefix(slot: $0))_pid" }
    }

    /// The whole-tree metric a per-process one is measured like (`node2_rss_anon` → `rss_anon`),
    /// whose threshold it takes unless the profile names its own.
    package static func base(of metric: Metric, in target: Profile.Target) -> Metric? {
        guard roles(of: target) != nil, metrics(of: target).contains(metric) else { return nil }
        return measures.first { metric.rawValue.hasSuffix("_" + $0.rawValue) }
    }
}
