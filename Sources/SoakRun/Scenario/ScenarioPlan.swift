/// The pure part of a scenario: which paths each cycle requests and what each must find.
///
/// Kept free of clocks and sockets so every profile's schedule is checked in unit tests.
import SoakAnalysis
import SoakProfiles
import SoakUnits

package struct ScenarioPlan: Sendable {
    package let scenario: Profile.Scenario
    /// The kind of the seeded artifacts (`service`, `webapp`), which `{artifact}` ends with.
    package let artifactKind: String

    package init(scenario: Profile.Scenario, artifactKind: String = "service") {
        self.scenario = scenario
        self.artifactKind = artifactKind
    }

    /// The requests sent in `cycle`, in order, with `{tenant}` and `{artifact}` filled in.
    package func requests(forCycle cycle: Int) -> [Profile.Request] {
        guard scenario.kind == .manyTenants, let churn = scenario.churn else { return scenario.requests }
        // The active subset changes every `changeEvery`; within an epoch it is fixed, and a
        // given seed always yields the same subsets on every machine, so runs are comparable.
        let epoch = UInt64((scenario.interval * cycle).wholeMultiples(of: churn.changeEvery))
        var random = SplitMix64(seed: churn.seed &+ epoch &* 0x9E37_79B9_7F4A_7C15)
        var tenants = Array(1...churn.tenants)
        let active = min(churn.activeCount(at: scenario.interval * cycle), tenants.count)
        for index in 0..<active {
            let pick = index + Int(random.next() % UInt64(tenants.count - index))
            tenants.swapAt(index, pick)
        }
        var cycleRandom = SplitMix64(seed: churn.seed ^ UInt64(cycle) &* 0xBF58_476D_1CE4_E5B9)
        return tenants[..<active].sorted().flatMap { tenant in
            let artifact = 1 + Int(cycleRandom.next() % UInt64(max(1, churn.artifactsPerTenant)))
            return scenario.requests.map { template in
                var request = template
                request.path = template.path.replacing("{tenant}", with: "t\(tenant)")
                    .replacing("{artifact}", with: "a\(artifact).\(artifactKind)")
                return request
            }
        }
    }

    /// The paths requested in `cycle`, in order.
    package func paths(forCycle cycle: Int) -> [String] {
        requests(forCycle: cycle).map(\.path)
    }

    /// Why `outcome` breaks the scenario's integrity in `cycle`, or nil when it is as designed.
    ///
    /// Every request must get a response with a status it expects (by default any 2xx or 3xx).
    /// From the second cycle on, the service scenario must find its artifact a ghost again and the
    /// tenant scenario must find its tenant unloaded: otherwise the idle period did not happen (for
    /// example the clock ran too fast) and the cycle is invalid.
    package func problem(
        of outcome: RequestOutcome, for request: Profile.Request, inCycle cycle: Int
    ) -> RequestProblem? {
        guard let status = outcome.status else {
            return RequestProblem(.request, outcome.failure ?? "no response")
        }
        guard request.expects(status) else {
            return RequestProblem(.request, "status \(status), expected \(request.expectation)")
        }
        guard cycle > 0 else { return nil }
        switch scenario.kind {
        case .serviceGhost where outcome.artifactWas != "ghost":
            return RequestProblem(.state, "expected the artifact to be a ghost again, "
                + "found \(outcome.artifactWas ?? "no X-Artifact-Was header")")
        case .tenantUnload where outcome.tenantWas != "unloaded":
            return RequestProblem(.state, "expected the tenant to be unloaded again, "
                + "found \(outcome.tenantWas ?? "no X-Tenant-Was header")")
        default:
            return nil
        }
    }
}
