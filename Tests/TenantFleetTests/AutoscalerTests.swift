import Testing
import TenantRuntime
@testable import TenantFleet

/// The scale rule on simulated time fed by hand: no clock, thread or process.
@Suite struct AutoscalerTests {
    func rule(min: Int = 1, max: Int = 4) -> ScaleRule {
        var rule = ScaleRule()
        rule.minNodes = min
        rule.maxNodes = max
        rule.window = .seconds(60)
        rule.upAbove = 2
        rule.downBelow = 0.5
        return rule
    }

    func at(_ seconds: Int) -> SimulatedTime { SimulatedTime(sinceStart: .seconds(seconds)) }

    @Test func growsOnlyWhenAWindowClosesAboveTheRule() {
        var scaler = Autoscaler(rule: rule())
        #expect(scaler.observe(at: at(0), loadSeconds: 0, liveNodes: 2) == nil)
        // 3 requests in flight per node on average so far, but the window is not over.
        #expect(scaler.observe(at: at(59), loadSeconds: 3 * 2 * 59, liveNodes: 2) == nil)
        let decision = scaler.observe(at: at(60), loadSeconds: 3 * 2 * 60, liveNodes: 2)
        guard case .grow = decision else { Issue.record("expected grow, got \(String(describing: decision))"); return }
        #expect(scaler.lastLoadPerNode == 3)
        // The next window starts at the decision: no second step straight away.
        #expect(scaler.observe(at: at(61), loadSeconds: 3 * 2 * 61, liveNodes: 3) == nil)
    }

    @Test func shrinksWhenIdleButNeverBelowTheMinimum() {
        var scaler = Autoscaler(rule: rule(min: 2))
        _ = scaler.observe(at: at(0), loadSeconds: 0, liveNodes: 3)
        guard case .shrink = scaler.observe(at: at(60), loadSeconds: 1, liveNodes: 3) else {
            Issue.record("expected shrink"); return
        }
        #expect(scaler.observe(at: at(120), loadSeconds: 1, liveNodes: 2) == nil, "at the minimum")
    }

    @Test func neverGrowsBeyondTheMaximum() {
        var scaler = Autoscaler(rule: rule(max: 2))
        _ = scaler.observe(at: at(0), loadSeconds: 0, liveNodes: 2)
        #expect(scaler.observe(at: at(60), loadSeconds: 10_000, liveNodes: 2) == nil)
    }

    @Test func loadBetweenTheThresholdsHoldsTheFleet() {
        var scaler = Autoscaler(rule: rule())
        _ = scaler.observe(at: at(0), loadSeconds: 0, liveNodes: 2)
        #expect(scaler.observe(at: at(60), loadSeconds: 1 * 2 * 60, liveNodes: 2) == nil)
        #expect(scaler.lastLoadPerNode == 1)
    }

    @Test func belowTheMinimumGrowsAtOnce() {
        var scaler = Autoscaler(rule: rule(min: 2))
        guard case .grow = scaler.observe(at: at(0), loadSeconds: 0, liveNodes: 1) else {
            Issue.record("expected grow"); return
        }
    }

    @Test func rulesThatCannotWorkAreRefused() {
        var bad = rule()
        bad.downBelow = 3
        #expect(bad.problem != nil)
        #expect(rule(min: 3, max: 2).problem != nil)
        #expect(rule().problem == nil)
    }
}
