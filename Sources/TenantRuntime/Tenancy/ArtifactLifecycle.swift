/// An artifact's lifecycle as a value: ghost → deploying → actual → ghost.
///
/// Transitions return what the caller must do; the caller holds the lock around them and does the
/// slow work (deploying) outside it.
struct ArtifactLifecycle: Sendable, Equatable {
    enum State: String, Sendable { case ghost, deploying, actual }

    /// What a request must do next.
    enum RequestAction: Equatable { case serve, deploy, wait }

    private(set) var state: State = .ghost
    private(set) var inFlight = 0
    private(set) var lastUse: SimulatedTime

    init(now: SimulatedTime) { lastUse = now }

    /// A request arrived: an actual artifact is served, the first request for a ghost deploys it,
    /// and requests during a deployment wait for it.
    mutating func requestArrived(at now: SimulatedTime) -> RequestAction {
        switch state {
        case .actual:
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

    /// Turns an actual artifact idle for at least `idle`, with nothing in flight, back into a ghost.
    /// True when the caller must now drop the deployed form.
    mutating func ghostIfIdle(now: SimulatedTime, idle: Duration) -> Bool {
        guard state == .actual, inFlight == 0, now - lastUse >= idle else { return false }
        state = .ghost
        return true
    }
}
