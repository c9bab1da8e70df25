/// An artifact's lifecycle as a value: ghost → deploying → actual → ghost.
///
/// Transitions return what the caller must do; the caller holds the lock around them and does the
/// slow work (deploying) outside it.
struct ArtifactLifecycle: Sendable, Equatable {
    enum State: String, Sendable { case ghost, deploying, actual }

    /// What a request must do next. `expired`: the artifact was idle past its deadline and the
    /// sweep had not run yet; the caller drops the deployed form, as the sweep would have, and
    /// deploys afresh, so the request finds a ghost whatever the scheduler did.
    enum RequestAction: Equatable { case serve, deploy, wait, expired }

    private(set) var state: State = .ghost
    private(set) var inFlight = 0
    private(set) var lastUse: SimulatedTime

    init(now: SimulatedTime) { lastUse = now }

    /// A request arrived: an actual artifact is served, the first request for a ghost deploys it,
    /// and requests during a deployment wait for it. With `idle`, an actual artifact whose idle
    /// deadline has passed is expired, whether or not the sweep has run.
    mutating func requestArrived(at now: SimulatedTime, idle: Duration? = nil) -> RequestAction {
        switch state {
        case .actual:
            if let deadline = idle.flatMap(idleDeadline), now >= deadline {
                state = .deploying
                return .expired
            }
            inFlight += 1
            lastUse = now
            return .serve
        case .ghost:
            state = .deploying
            return .deploy
        case .deploying:
            return .wait
        }
    }

    /// The deployment this request started ended; on success the deploying request is now in flight.
    mutating func deployFinished(succeeded: Bool, at now: SimulatedTime) {
        precondition(state == .deploying, "deployFinished in state \(state)")
        if succeeded {
            state = .actual
            inFlight += 1
            lastUse = now
        } else {
            state = .ghost
        }
    }

    /// A request that was served finished.
    mutating func requestFinished(at now: SimulatedTime) {
        precondition(inFlight > 0, "requestFinished with nothing in flight")
        inFlight -= 1
        lastUse = now
    }

    /// Whether a request at `now` would find this expired (`idle` nil: nothing expires).
    func isExpired(_ now: SimulatedTime, idle: Duration?) -> Bool {
        guard let deadline = idle.flatMap(idleDeadline) else { return false }
        return now >= deadline
    }

    /// When an actual artifact with nothing in flight becomes idle-expired; nil while it is not
    /// actual or a request is in flight (the request's end sets a new deadline).
    func idleDeadline(_ idle: Duration) -> SimulatedTime? {
        guard state == .actual, inFlight == 0 else { return nil }
        return lastUse + idle
    }

    /// Turns an actual artifact idle for at least `idle`, with nothing in flight, back into a ghost.
    /// True when the caller must now drop the deployed form.
    mutating func ghostIfIdle(now: SimulatedTime, idle: Duration) -> Bool {
        guard let deadline = idleDeadline(idle), now >= deadline else { return false }
        state = .ghost
        return true
    }
}
