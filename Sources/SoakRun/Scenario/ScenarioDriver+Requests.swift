/// One cycle's requests: sent, checked against what the scenario expects, and recorded.
extension ScenarioDriver {
    /// Sends cycle `cycle`'s requests and records them at `simulated` time (nil: wall time × scale).
    /// With `advancing`, the last request carries the stepped clock's next advance right behind
    /// it when the sender can pipeline the two (the advance's own failure is left for the next
    /// `advance` to the same time to find and report). A stepped clock that cannot be caught up
    /// to the request's time stops the run before the request goes.
    func runRequests(
        cycle: Int, start: Duration, simulated: Duration?, thenAdvancing advancing: Duration? = nil,
        into result: inout Result
    ) {
        guard let sender else { return }
        var violation: RequestProblem?
        var sweptLate = false
        let requests = plan.requests(forCycle: cycle)
        for (index, request) in requests.enumerated() {
            let sent = clock.now
            let outcome: RequestOutcome
            if index == requests.count - 1, let advancing, let timeline,
               let (pipelined, _) = sender.send(request, thenAdvance: timeline, to: advancing) {
                outcome = pipelined
            } else {
                // Advances skipped while nothing was due are sent now: the request must find the
                // target's clock at its own time.
                if case .failure(let error) = timeline?.catchUp() {
                    result.stoppedBy = .clockFailed(error.description)
                    return
                }
                outcome = sender.send(request)
                timeline?.targetWasSent()
            }
            let wall = (sent - start).secondsValue
            let simSeconds = simulated?.secondsValue ?? wall * scale
            if outcome.expiredOnArrival != nil { sweptLate = true }
            let problem = plan.problem(of: outcome, for: request, inCycle: cycle)
            // The path as the server saw it: below a base URL's prefix, `/` went out as `/api/`.
            let path = outcome.target ?? request.path
            if violation == nil, let problem {
                let message = "cycle \(cycle), \(request.method) \(path): \(problem.message)"
                violation = RequestProblem(problem.kind, message)
            }
            let succeeded = problem?.kind != .request
            result.requests += 1
            if !succeeded { result.failedRequests += 1 }
            sink.record(request: RequestRecord(
                cycle: cycle, simSeconds: simSeconds, wallSeconds: wall, method: request.method, path: path,
                outcome: outcome, succeeded: succeeded, violation: problem?.message))
        }
        guard !requests.isEmpty else { return }
        result.integrity.cycles += 1
        if let violation {
            if result.integrity.firstViolation == nil {
                result.integrity.firstViolation = violation.message
                result.integrity.firstViolationKind = violation.kind
            }
        } else {
            result.integrity.validCycles += 1
            if sweptLate { result.sweptLateCycles += 1 }
        }
    }
}
