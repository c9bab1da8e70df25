/// Builds a `Tenant` from the registry: its metadata and the index of its artifact names, from the
/// artifacts folder's listing alone. No `Artifact` is built and no ghost file is read until a
/// request touches that artifact, so loading a tenant costs one directory read and a sort of its
/// names however many artifacts it has. With ghosts off, every artifact is built and deployed.
struct TenantLoader: Sendable {
    let registry: Registry
    let context: DeploymentContext
    let ghostDeployment: Bool
    let hook: (@Sendable (RegistryName) throws(RuntimeError) -> Void)?

    func load(_ name: RegistryName) throws(RuntimeError) -> Tenant {
        try hook?(name)
        guard let metadata = try registry.metadata(of: name) else { throw .unknownTenant(name) }
        let tenant = Tenant(name: name, metadata: metadata, index: registry.artifactIndex(of: name), context: context)
        if !ghostDeployment {
            // The pre-ghost design: the first request pays for every artifact. A corrupt artifact
            // stays a ghost and fails on its own requests, not the tenant's.
            for id in tenant.index.all { tenant.artifact(named: id.fileName)?.deployWithoutRequest() }
        }
        context.leaks.leak(retaining: tenant) { tenant.retainedHandler = $0 }
        context.counters.bump(.tenantLoads)
        return tenant
    }
}
