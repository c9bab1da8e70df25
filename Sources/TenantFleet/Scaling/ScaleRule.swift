import TenantRuntime

/// When the fleet grows or shrinks (the seed's Solution 2), as data rather than literals.
///
/// The load is the mean number of requests in flight per live node over `window` of simulated
/// time, integrated exactly (Little's law: busy node-time ÷ window), so a burst of short requests
/// between two looks is not missed, and an accelerated clock gives the same figure as real time.
package struct ScaleRule: Sendable, Equatable {
    /// The fleet never shrinks below this many nodes, and is grown back to it after a fault.
    package var minNodes = 1
    /// The fleet never grows beyond this many nodes.
    package var maxNodes = 4
    /// Simulated time a decision looks back over; also the pause after a decision, so one burst
    /// does not start several nodes before the first has taken load.
    package var window: Duration = .seconds(60)
    /// Grow when the mean in-flight requests per node over the window exceed this.
    package var upAbove = 2.0
    /// Shrink when it falls below this (kept well under `upAbove`, so the fleet does not flap).
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
