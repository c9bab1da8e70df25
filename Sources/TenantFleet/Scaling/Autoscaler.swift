import TenantRuntime

/// Applies a ``ScaleRule`` to what the front measured: a value, so tests feed it times and loads
/// and read its decisions with no process, thread or clock behind it (STYLE.md 4).
///
/// The front calls ``observe(at:loadSeconds:liveNodes:)`` on each tick with the running total of
/// the rule's measure integrated over simulated time (busy node-seconds for in-flight requests,
/// tenant-seconds for loaded tenants). Each time a window
/// closes the autoscaler compares the window's mean load per node with the rule and decides at
/// most one step; the next window starts then, so steps are at least a window apart.
package struct Autoscaler: Sendable {
    package let rule: ScaleRule
    private var windowStart: SimulatedTime?
    private var loadAtWindowStart = 0.0
    /// The mean of the rule's measure per node over the last closed window, for stats.
    package private(set) var lastLoadPerNode: Double?

    package init(rule: ScaleRule) { self.rule = rule }

    /// Where the current window started and the load then, with the last window's figure: all
    /// the state there is, so a decision service can hand it to a new replica.
    package var windowState: (start: SimulatedTime?, load: Double, lastLoadPerNode: Double?) {
        get { (windowStart, loadAtWindowStart, lastLoadPerNode) }
        set { (windowStart, loadAtWindowStart, lastLoadPerNode) = newValue }
    }

    /// Feeds one observation; returns a decision when a window closed and the rule asks for one.
    ///
    /// Below `minNodes` (a node died and is not yet replaced) the answer is to grow at once:
    /// the minimum is a floor, not a load rule. `liveNodes` counts nodes serving or starting,
    /// never those draining.
    package mutating func observe(at now: SimulatedTime, loadSeconds: Double, liveNodes: Int) -> ScaleDecision? {
        if liveNodes < rule.minNodes {
            restartWindow(at: now, load: loadSeconds)
            return .grow(reason: "\(liveNodes) nodes, below --min-nodes \(rule.minNodes)")
        }
        if liveNodes > rule.maxNodes {
            restartWindow(at: now, load: loadSeconds)
            return .shrink(reason: "\(liveNodes) nodes, above --max-nodes \(rule.maxNodes)")
        }
        guard let start = windowStart else {
            restartWindow(at: now, load: loadSeconds)
            return nil
        }
        let elapsed = (now - start).secondsValue
        guard elapsed >= rule.window.secondsValue, elapsed > 0 else { return nil }
        let load = (loadSeconds - loadAtWindowStart) / elapsed / Double(max(liveNodes, 1))
        lastLoadPerNode = load
        restartWindow(at: now, load: loadSeconds)
        let shown = (load * 100).rounded() / 100
        if load > rule.upAbove, liveNodes < rule.maxNodes {
            return .grow(reason: "mean \(rule.measure.unit) per node \(shown) > \(rule.upAbove) over \(rule.window)")
        }
        if load < rule.downBelow, liveNodes > rule.minNodes {
            return .shrink(
                reason: "mean \(rule.measure.unit) per node \(shown) < \(rule.downBelow) over \(rule.window)")
        }
        return nil
    }

    private mutating func restartWindow(at now: SimulatedTime, load: Double) {
        windowStart = now
        loadAtWindowStart = load
    }
}
