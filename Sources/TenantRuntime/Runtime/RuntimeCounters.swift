import Synchronization

/// Totals since start, for `/_runtime/stats`.
final class RuntimeCounters: Sendable {
    /// `expiredOnArrival`: tenants and artifacts a request found past their idle deadline before the
    /// sweep got to them (each is also counted as an unload or a ghosting).
    enum Counter { case tenantLoads, tenantUnloads, artifactDeploys, artifactGhostings, requests, expiredOnArrival }

    private let tenantLoads = Atomic(0)
    private let tenantUnloads = Atomic(0)
    private let artifactDeploys = Atomic(0)
    private let artifactGhostings = Atomic(0)
    private let requests = Atomic(0)
    private let expiredOnArrival = Atomic(0)

    func bump(_ counter: Counter, by amount: Int = 1) {
        switch counter {
        case .tenantLoads: tenantLoads.add(amount, ordering: .relaxed)
        case .tenantUnloads: tenantUnloads.add(amount, ordering: .relaxed)
        case .artifactDeploys: artifactDeploys.add(amount, ordering: .relaxed)
        case .artifactGhostings: artifactGhostings.add(amount, ordering: .relaxed)
        case .requests: requests.add(amount, ordering: .relaxed)
        case .expiredOnArrival: expiredOnArrival.add(amount, ordering: .relaxed)
        }
    }

    func value(_ counter: Counter) -> Int {
        switch counter {
        case .tenantLoads: tenantLoads.load(ordering: .relaxed)
        case .tenantUnloads: tenantUnloads.load(ordering: .relaxed)
        case .artifactDeploys: artifactDeploys.load(ordering: .relaxed)
        case .artifactGhostings: artifactGhostings.load(ordering: .relaxed)
        case .requests: requests.load(ordering: .relaxed)
        case .expiredOnArrival: expiredOnArrival.load(ordering: .relaxed)
        }
    }
}
