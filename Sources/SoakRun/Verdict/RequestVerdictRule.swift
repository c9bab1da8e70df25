import SoakProfiles

extension RunJudge {
    /// The verdict a run's requests force before its numbers count; nil when they allow judging
    /// the metrics.
    ///
    /// A run whose scenario sends requests and in which not one succeeded is invalid, never a
    /// pass: a soak that never reached its server (a wrong host, a port nothing listens on, a path
    /// that answers 404) measured an idle process. A run whose integrity is under 100% is invalid
    /// too. Only when the first violation was the target's state (a timing matter) on a sped-up
    /// clock does the message suggest a lower `--accelerate`; a refused connection or a 404 is not
    /// fixed by any clock. On the stepped clock a wrong state is no timing matter: the message
    /// calls it a bug in the runtime.
    static func requestVerdict(_ manifest: RunManifest, _ summary: RunSummary) -> (RunVerdict, String)? {
        let requests = summary.requests
        if manifest.scenarioKind != Profile.ScenarioKind.sampleOnly.rawValue {
            if requests.total > 0, requests.failed == requests.total {
                return (.invalid, "not one of \(requests.total) request(s) succeeded; the first: "
                    + "\(requests.firstFailure ?? "no response"); a soak that never reached its target says "
                    + "nothing about its memory")
            }
            if requests.total == 0, manifest.status == .completed, manifest.cyclesCompleted > 0 {
                return (.invalid, "no request was sent in \(manifest.cyclesCompleted) cycle(s), although the "
                    + "scenario has requests; a soak that never reached its target says nothing about its memory")
            }
        }
        let integrity = summary.integrity
        guard integrity.cycles > 0, !integrity.isComplete else { return nil }
        var reason = "integrity \(integrity.validCycles)/\(integrity.cycles) cycles: "
            + (integrity.firstViolation ?? "a request did not find the expected state")
        if integrity.firstViolationKind != .request, manifest.isStepped {
            reason += "; the stepped clock settles every deadline before a request is sent, so any integrity "
                + "failure under the stepped clock is a bug in the runtime, not a timing matter"
        } else if integrity.firstViolationKind != .request, manifest.accelerate > 1 {
            reason += "; lower --accelerate (now \(SampleRow.format(manifest.accelerate)))"
        }
        return (.invalid, reason)
    }
}
