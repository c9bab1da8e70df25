/// The host's bookkeeping for one tenant that is not unloaded: its lifecycle, the tenant once
/// published, and the gate requests wait on during a load or unload.
///
/// Slots exist only while a tenant is loading, loaded or unloading; unloading removes the slot,
/// so no per-tenant lock, map entry or cache outlives the tenant. Guarded by the host's lock.
final class TenantSlot: @unchecked Sendable {
    let name: RegistryName
    var lifecycle: TenantLifecycle
    /// Published only when fully loaded.
    var tenant: Tenant?
    /// Open while nothing is in transition.
    var transition: CompletionGate?
    private let live: LiveInstances

    init(name: RegistryName, lifecycle: TenantLifecycle, live: LiveInstances) {
        self.name = name
        self.lifecycle = lifecycle
        self.live = live
        live.created(.loadCoordinator)
    }

    deinit { live.destroyed(.loadCoordinator) }
}
