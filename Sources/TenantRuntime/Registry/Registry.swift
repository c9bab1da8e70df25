import Foundation
import PosixSupport

/// The registry folder: where tenants, their artifacts and the ghost files live.
///
///     <root>/tenants/<tenant>/tenant.json
///     <root>/tenants/<tenant>/artifacts/<name>.service     (a file)
///     <root>/tenants/<tenant>/artifacts/<name>.webapp/     (a folder of static files)
///     <root>/ghosts/<tenant>/<name>.<kind>.ghost.json      (written by the runtime)
///
/// Every path is built from validated `RegistryName`s, so nothing outside `root` is ever read.
public struct Registry: Sendable {
    /// The registry's root folder.
    public let root: String

    /// The registry in the folder `root`; nothing is read until asked.
    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    var tenantsFolder: String { "\(root)/tenants" }

    func tenantFolder(_ tenant: RegistryName) -> String { "\(tenantsFolder)/\(tenant.text)" }
    func metadataPath(_ tenant: RegistryName) -> String { "\(tenantFolder(tenant))/tenant.json" }
    func artifactsFolder(_ tenant: RegistryName) -> String { "\(tenantFolder(tenant))/artifacts" }

    func artifactPath(_ tenant: RegistryName, _ artifact: ArtifactID) -> String {
        "\(artifactsFolder(tenant))/\(artifact.fileName)"
    }

    func ghostFolder(_ tenant: RegistryName) -> String { "\(root)/ghosts/\(tenant.text)" }
    func ghostPath(_ tenant: RegistryName, _ artifact: ArtifactID) -> String {
        "\(ghostFolder(tenant))/\(artifact.fileName).ghost.json"
    }

    /// Whether the registry folder looks like a registry (has `tenants/`).
    public var exists: Bool { FileStatus(path: tenantsFolder)?.isDirectory == true }

    /// Every tenant name in the registry, sorted; entries that are not valid names are skipped.
    public func tenantNames() throws -> [RegistryName] {
        try FileManager.default.contentsOfDirectory(atPath: tenantsFolder)
            .compactMap { try? RegistryName($0) }
            .sorted()
    }

    /// Reads a tenant's metadata; nil when the tenant does not exist.
    func metadata(of tenant: RegistryName) throws(RuntimeError) -> TenantMetadata? {
        let path = metadataPath(tenant)
        guard FileStatus(path: path) != nil else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(TenantMetadata.self, from: data)
        } catch {
            throw .loadFailed(tenant, "tenant.json is unreadable: \(error)")
        }
    }

    /// The index of a tenant's artifacts, from the folder listing alone: no artifact is opened or
    /// `stat`ed, and no `String` is made per entry, so listing a tenant with hundreds of artifacts
    /// costs one directory read. An entry that cannot be deployed fails on its own first request;
    /// a folder that cannot be listed gives a tenant with no artifacts, as before.
    func artifactIndex(of tenant: RegistryName) -> ArtifactIndex {
        var index = ArtifactIndex()
        try? FileSystem.forEachEntry(in: artifactsFolder(tenant)) { index.add($0) }
        return index
    }
}

/// What `tenant.json` holds.
public struct TenantMetadata: Codable, Sendable, Equatable {
    /// A display name.
    public var displayName: String
    /// Free-form plan name; carried, not interpreted.
    public var plan: String?

    /// Tenant metadata with a display name and an optional plan.
    public init(displayName: String, plan: String? = nil) {
        self.displayName = displayName
        self.plan = plan
    }
}
