/// The controller with a decision service (`--decision-service`): the front reports, the
/// service decides, the front applies.
extension FleetController {
    /// Reports the load to the decision service and applies what it decided, in number order
    /// and each number once: a decision seen again (a retry, or the replica's copy after a
    /// takeover) is skipped, and one from an older term than already applied is a deposed
    /// primary's and ignored.
    func decideRemotely(_ client: DecisionClient) {
        let due = state.withLock { !$0.stopping && $0.ticks % Self.reportEvery == 0 }
        guard due else { return }
        let serving = table.servingNodes
        let pending = state.withLock { $0.toReplace.count }
        let report = LoadReport(
            front: client.front, simulatedSeconds: clock.now.seconds, busyNodeSeconds: table.loadSeconds(of: .inFlight),
            loadedTenantSeconds: table.loadSeconds(of: .tenants), liveNodes: serving.count + pending)
        let applied = state.withLock { $0.appliedDecision }
        guard let decisions = client.exchange(report, acknowledging: applied) else { return }
        for decision in decisions.sorted(by: { $0.number < $1.number }) {
            let take = state.withLock { state -> Bool in
                guard decision.number == state.appliedDecision + 1, decision.term >= state.decisionTerm else {
                    state.duplicateDecisions += 1
                    return false
                }
                state.appliedDecision = decision.number
                state.decisionTerm = decision.term
                return true
            }
            guard take else { continue }
            let reason = "#\(decision.number) (term \(decision.term)) \(decision.reason)"
            apply(decision.grow ? .grow(reason: reason) : .shrink(reason: reason), serving: table.servingNodes)
        }
    }

    /// Decisions applied from the decision service: the last number and term, and how many
    /// arrived again and were skipped.
    package var appliedDecisions: (number: Int, term: Int, duplicates: Int) {
        state.withLock { ($0.appliedDecision, $0.decisionTerm, $0.duplicateDecisions) }
    }
}
