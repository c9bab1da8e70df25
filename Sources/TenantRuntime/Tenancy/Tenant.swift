/// A loaded tenant: its metadata and its artifacts, each a ghost or deployed.
///
/// A `Tenant` exists only while loaded; unloading drops it, and everything it held goes with it.
final class Tenant: @unchecked Sendable {
    let name: RegistryName
    let metadata: TenantMetadata
    /// Fixed at load; artifacts change state, never membership.
    let artifacts: [String: Artifact]
    private let live: LiveInstances
    /// Set only by the retain-cycle fault injection.
    var retainedHandler: (@Sendable () -> Void)?

    init(name: RegistryName, metadata: TenantMetadata, artifacts: [Artifact], live: LiveInstances) {
        self.name = name
        self.metadata = metadata
        self.artifacts = Dictionary(uniqueKeysWithValues: artifacts.map { ($0.id.fileName, $0) })
        self.live = live
        live.created(.tenant)
    }

    deinit { live.destroyed(.tenant) }

    /// Ghosts every artifact idle for `idle`; returns how many.
    func ghostIdleArtifacts(now: SimulatedTime, idle: Duration) -> Int {
        artifacts.values.reduce(0) { $0 + ($1.ghostIfIdle(now: now, idle: idle) ? 1 : 0) }
    }

    /// How many artifacts are deployed and how many are ghosts (deploying counts as ghost).
    var artifactCounts: (actual: Int, ghost: Int) {
        artifacts.values.reduce(into: (0, 0)) { counts, artifact in
            if artifact.state == .actual { counts.0 += 1 } else { counts.1 += 1 }
        }
    }
}
