import Synchronization

/// A loaded tenant: its metadata, the index of its artifact names, and an `Artifact` for each one
/// a request has touched.
///
/// A `Tenant` exists only while loaded; unloading drops it, and everything it held goes with it.
/// Loading builds no `Artifact`: building 300 of them (an object, a lock, a dictionary entry each)
/// was what made the first request to a cold tenant grow with its artifact count, while a request
/// touches only one.
final class Tenant: @unchecked Sendable {
    let name: RegistryName
    let metadata: TenantMetadata
    /// Fixed at load; artifacts change state, never membership.
    let index: ArtifactIndex
    private let context: DeploymentContext
    /// The artifacts built so far, by file name; each is built once and kept until the tenant unloads.
    private let built = Mutex<[String: Artifact]>([:])
    /// Set only by the retain-cycle fault injection.
    var retainedHandler: (@Sendable () -> Void)?

    init(name: RegistryName, metadata: TenantMetadata, index: ArtifactIndex, context: DeploymentContext) {
        self.name = name
        self.metadata = metadata
        self.index = index
        self.context = context
        context.live.created(.tenant)
    }

    deinit { context.live.destroyed(.tenant) }

    /// The artifact named `fileName` (`a1.service`), built as a ghost on first touch; nil when the
    /// tenant has no such artifact.
    func artifact(named fileName: String) -> Artifact? {
        if let artifact = built.withLock({ $0[fileName] }) { return artifact }
        // Looked up outside the lock: the index is immutable. Building under the lock keeps one
        // `Artifact` per name when two first requests race; it reads no file.
        guard let id = index.artifact(named: fileName) else { return nil }
        return built.withLock { built in
            if let artifact = built[fileName] { return artifact }
            let artifact = Artifact(id: id, tenant: name, context: context)
            built[fileName] = artifact
            return artifact
        }
    }

    /// How many artifacts the tenant has, built or not.
    var artifactCount: Int { index.count }

    /// The artifacts built so far.
    var builtArtifacts: [Artifact] { built.withLock { Array($0.values) } }

    /// Ghosts every artifact idle for `idle`; returns how many. Artifacts never built are ghosts
    /// already.
    func ghostIdleArtifacts(now: SimulatedTime, idle: Duration) -> Int {
        builtArtifacts.reduce(0) { $0 + ($1.ghostIfIdle(now: now, idle: idle) ? 1 : 0) }
    }

    /// How many artifacts are deployed and how many are ghosts (deploying and never built count as
    /// ghosts).
    var artifactCounts: (actual: Int, ghost: Int) {
        let actual = builtArtifacts.reduce(0) { $0 + ($1.state == .actual ? 1 : 0) }
        return (actual, index.count - actual)
    }
}
