/// Builds a `Tenant` from the registry: its metadata and one ghost per artifact, read from ghost
/// files and `stat` alone. With ghosts off, every artifact is deployed as well.
struct TenantLoader: Sendable {
    let registry: Registry
    let context: DeploymentContext
    let ghostDeployment: Bool
    let hook: (@Sendable (RegistryName) throws(RuntimeError) -> Void)?

    func load(_ name: RegistryName) throws(RuntimeError) -> Tenant {
        try hook?(name)
        guard let metadata = try registry.metadata(of: name) else { throw .unknownTenant(name) }
        let artifacts = registry.artifactEntries(of: name).map { id, source in
            Artifact(
                id: id, tenant: name, ghost: context.ghosts.ghost(of: id, in: name, source: source),
                context: context)
        }
        let tenant = Tenant(name: name, metadata: metadata, artifacts: artifacts, live: context.live)
        if !ghostDeployment {
            // The pre-ghost design: the first request pays for every artifact. A corrupt artifact
            // stays a ghost and fails on its own requests, not the tenant's.
            for artifact in artifacts { artifact.deployWithoutRequest() }
        }
        context.leaks.leak(retaining: tenant) { tenant.retainedHandler = $0 }
        context.counters.bump(.tenantLoads)
        return tenant
    }
}
