import Foundation

/// Writes a registry fixture: tenants `t1…tN`, each with artifacts `a1…aM` of one kind.
public struct RegistrySeeder: Sendable {
    /// Tenants to write.
    public var tenants: Int
    /// Artifacts in each tenant.
    public var artifactsPerTenant: Int
    /// The kind of every artifact.
    public var kind: ArtifactKind
    /// Kilobytes of state each service builds, or of static files each webapp holds.
    public var payloadKB: Int

    /// A seeder of `tenants` × `artifactsPerTenant` artifacts of `kind`, each building `payloadKB` KiB when deployed.
    public init(tenants: Int, artifactsPerTenant: Int, kind: ArtifactKind, payloadKB: Int) {
        self.tenants = tenants
        self.artifactsPerTenant = artifactsPerTenant
        self.kind = kind
        self.payloadKB = payloadKB
    }

    /// The request path of artifact `artifact` (1-based) of tenant `tenant` (1-based).
    public func path(tenant: Int, artifact: Int) -> String {
        "/t/t\(tenant)/a\(artifact).\(kind.rawValue)"
    }

    /// Writes the fixture under `root`, creating folders as needed; existing files are replaced.
    public func seed(into root: String) throws {
        let registry = Registry(root: root)
        let files = FileManager.default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for t in 1...max(1, tenants) {
            let tenant = try RegistryName("t\(t)")
            try files.createDirectory(atPath: registry.artifactsFolder(tenant), withIntermediateDirectories: true)
            try encoder.encode(TenantMetadata(displayName: "Tenant \(t)", plan: "soak"))
                .write(to: URL(fileURLWithPath: registry.metadataPath(tenant)))
            for a in 0..<artifactsPerTenant {
                let id = ArtifactID(name: "a\(a + 1)", kind: kind)
                let path = registry.artifactPath(tenant, id)
                switch kind {
                case .service:
                    let definition = ServiceDefinition(
                        routes: ["/", "/status"], payloadKB: payloadKB, reply: "hello from \(tenant)/\(id)")
                    try encoder.encode(definition).write(to: URL(fileURLWithPath: path))
                case .webapp:
                    try writeWebapp(at: path, title: "\(tenant)/\(id)")
                }
            }
        }
    }

    private func writeWebapp(at folder: String, title: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let filler = String(repeating: "/* lazy soak static payload */\n", count: max(1, payloadKB * 1024 / 2 / 31))
        let pages = [
            "index.html": "<!doctype html><title>\(title)</title><script src=app.js></script><h1>\(title)</h1>\n",
            "app.js": "console.log('\(title)');\n" + filler,
            "style.css": "body { font-family: sans-serif; }\n" + filler,
        ]
        for (name, text) in pages {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
    }
}
