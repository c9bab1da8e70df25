/// Builds a `Tenant` from the registry: its metadata and one ghost per artifact, from the names in
/// the artifacts folder alone. Each ghost file is read when its artifact is first used, so loading
/// a tenant costs one directory read however many artifacts it has. With ghosts off, every
/// artifact is deployed as well.
struct TenantLoader: Sendable {
    let registry: Registry
    let context: DeploymentContext
    let ghostDeployment: Bool
    let hook: (@Sendable (RegistryName) throws(RuntimeError) -> Void)?

    func load(_ name: RegistryName) throws(RuntimeError) -> Tenant {
        try hook?(name)
        guard let metadata = try registry.metadata(of: name) else { throw .unknownTenant(name) }
        let artifacts = registry.artifactIDs(of: name).map { id in
            Artifact(id: id, tenant: name, context: context)
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
