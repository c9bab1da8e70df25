import TenantRuntime

/// When the fleet grows or shrinks (the seed's Solution 2), as data rather than literals.
///
/// The load is a mean per live node over `window` of simulated time, integrated exactly rather
/// than sampled at decision time: busy node-time ÷ window for requests in flight (Little's law),
/// loaded-tenant-time ÷ window for tenants. A burst between two looks is not missed, and an
/// accelerated clock gives the same figure as real time.
package struct ScaleRule: Sendable, Equatable {
    /// What the rule counts per node.
    package enum Measure: String, Sendable, CaseIterable {
        /// Requests forwarded to the node and not yet answered, counted by the front.
        case inFlight = "in-flight"
        /// Tenants the node holds loaded, read from its `/_runtime/stats`: what lazy loading makes
        /// a node's memory depend on, so a fleet whose tenants come and go scales with them.
        case tenants

        /// The unit the thresholds are read in, for reasons and usage text.
        package var unit: String { self == .inFlight ? "in-flight requests" : "loaded tenants" }

        /// Thresholds that suit the measure when the command line gives none.
        package var defaultThresholds: (upAbove: Double, downBelow: Double) {
            self == .inFlight ? (2, 0.5) : (100, 40)
        }
    }

    /// The fleet never shrinks below this many nodes, and is grown back to it after a fault.
    package var minNodes = 1
    /// The fleet never grows beyond this many nodes.
    package var maxNodes = 4
    /// What `upAbove` and `downBelow` count.
    package var measure = Measure.inFlight
    /// Simulated time a decision looks back over; also the pause after a decision, so one burst
    /// does not start several nodes before the first has taken load.
    package var window: Duration = .seconds(60)
    /// Grow when the mean of `measure` per node over the window exceeds this.
    package var upAbove = 2.0
    /// Shrink when it falls below this. Kept well under `upAbove`: one step changes the mean by a
    /// factor N/(N±1), and a gap narrower than that makes the fleet flap.
    package var downBelow = 0.5

    package init() {}

    /// Why this rule cannot work, or nil.
    package var problem: String? {
        if minNodes < 1 { return "--min-nodes must be at least 1" }
        if maxNodes < minNodes { return "--max-nodes (\(maxNodes)) is below --min-nodes (\(minNodes))" }
        if window <= .zero { return "--scale-window must be above zero" }
        if downBelow >= upAbove {
            return "--scale-down-below (\(downBelow)) must be below --scale-up-above (\(upAbove))"
        }
        return nil
    }
}

/// What the autoscaler decided at the end of a window.
package enum ScaleDecision: Sendable, Equatable {
    case grow(reason: String)
    case shrink(reason: String)
}
