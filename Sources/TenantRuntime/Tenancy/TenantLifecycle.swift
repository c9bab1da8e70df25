/// A tenant's lifecycle as a value: unloaded → loading → loaded → unloading → unloaded.
///
/// Like `ArtifactLifecycle`, transitions say what to do; locking and loading stay outside.
struct TenantLifecycle: Sendable, Equatable {
    enum State: String, Sendable { case unloaded, loading, loaded, unloading }

    /// What a request must do next. `expired`: a lazy tenant idle past its deadline that the sweep
    /// had not unloaded yet; the caller unloads it, as the sweep would have, then loads it afresh.
    enum RequestAction: Equatable { case serve, load, wait, expired }

    private(set) var state: State = .unloaded
    private(set) var inFlight = 0
    private(set) var lastAccess: SimulatedTime
    /// Eager tenants are loaded at start and never unloaded.
    let isEager: Bool

    init(now: SimulatedTime, isEager: Bool = false) {
        lastAccess = now
        self.isEager = isEager
    }

    /// A request arrived. With `idle`, a loaded lazy tenant whose idle deadline has passed is
    /// expired (and now unloading), whether or not the sweep has run.
    mutating func requestArrived(at now: SimulatedTime, idle: Duration? = nil) -> RequestAction {
        switch state {
        case .loaded:
            if let deadline = idle.flatMap(idleDeadline), now >= deadline {
                state = .unloading
                return .expired
            }
            inFlight += 1
            lastAccess = now
            return .serve
        case .unloaded:
            state = .loading
            return .load
        case .loading, .unloading:
            return .wait
        }
    }

    /// The load ended. On success the tenant is published and the loading request is in flight;
    /// on failure nothing is published and the next request starts a new load.
    mutating func loadFinished(succeeded: Bool, at now: SimulatedTime, countsAsRequest: Bool = true) {
        precondition(state == .loading, "loadFinished in state \(state)")
        guard succeeded else {
            state = .unloaded
            return
        }
        state = .loaded
        lastAccess = now
        if countsAsRequest { inFlight += 1 }
    }

    mutating func requestFinished(at now: SimulatedTime) {
        precondition(inFlight > 0, "requestFinished with nothing in flight")
        inFlight -= 1
        lastAccess = now
    }

    /// Whether a request at `now` would find this expired (`idle` nil: nothing expires).
    func isExpired(_ now: SimulatedTime, idle: Duration?) -> Bool {
        guard let deadline = idle.flatMap(idleDeadline) else { return false }
        return now >= deadline
    }

    /// When a loaded lazy tenant with nothing in flight becomes idle-expired; nil otherwise.
    func idleDeadline(_ idle: Duration) -> SimulatedTime? {
        guard state == .loaded, !isEager, inFlight == 0 else { return nil }
        return lastAccess + idle
    }

    /// Starts unloading a lazy tenant idle for at least `idle` with no request in flight.
    mutating func unloadIfIdle(now: SimulatedTime, idle: Duration) -> Bool {
        guard let deadline = idleDeadline(idle), now >= deadline else { return false }
        state = .unloading
        return true
    }

    /// Starts unloading a loaded tenant with no request in flight, idle or not, eager or not: its
    /// partition goes to another node, which may load it only once this copy is gone.
    mutating func unloadForHandover() -> Bool {
        guard state == .loaded, inFlight == 0 else { return false }
        state = .unloading
        return true
    }

    mutating func unloadFinished() {
        precondition(state == .unloading, "unloadFinished in state \(state)")
        state = .unloaded
    }
}
