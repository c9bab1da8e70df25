import Foundation

/// Turns an artifact on disk into its deployed form. Any failure names the artifact and the
/// cause and affects that artifact alone.
struct Deployer: Sendable {
    let registry: Registry
    let live: LiveInstances

    func deploy(_ id: ArtifactID, of tenant: RegistryName) throws(RuntimeError) -> any DeployedArtifact {
        let path = registry.artifactPath(tenant, id)
        guard let source = FileStatus(path: path) else {
            throw .deployFailed(id, "the artifact is gone from the registry")
        }
        switch id.kind {
        case .service:
            guard !source.isDirectory else { throw .deployFailed(id, "a .service must be a file, found a folder") }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .deployFailed(id, "cannot read \(id.fileName)")
            }
            let definition: ServiceDefinition
            do {
                definition = try JSONDecoder().decode(ServiceDefinition.self, from: data)
            } catch {
                throw .deployFailed(id, "\(id.fileName) is not a valid service definition (\(Deployer.summary(of: error)))")
            }
            guard definition.payloadKB >= 0, definition.payloadKB <= 1 << 20 else {
                throw .deployFailed(id, "payloadKB must be between 0 and 1048576, found \(definition.payloadKB)")
            }
            let ghost = GhostRecord(
                name: id.name, kind: .service, routes: definition.routes,
                deployedBytes: definition.payloadKB * 1024, source: source)
            return ServiceInstance(definition: definition, ghost: ghost, live: live)
        case .webapp:
            guard source.isDirectory else { throw .deployFailed(id, "a .webapp must be a folder of static files") }
            let files = try readStaticFiles(in: path, id: id)
            let ghost = GhostRecord(
                name: id.name, kind: .webapp, routes: files.keys.sorted(),
                deployedBytes: files.values.reduce(0) { $0 + $1.count }, source: source)
            return WebappInstance(files: files, ghost: ghost, live: live)
        }
    }

    private func readStaticFiles(in folder: String, id: ArtifactID) throws(RuntimeError) -> [String: [UInt8]] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .deployFailed(id, "cannot list the webapp folder")
        }
        var files: [String: [UInt8]] = [:]
        for entry in entries {
            // Only plain, validly named files directly inside the folder: no links out, no nesting.
            guard (try? RegistryName(entry)) != nil,
                  let status = FileStatus(path: "\(folder)/\(entry)"), !status.isDirectory
            else { continue }
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(entry)") else {
                throw .deployFailed(id, "cannot read \(entry)")
            }
            files["/\(entry)"] = [UInt8](data)
        }
        guard files["/index.html"] != nil else { throw .deployFailed(id, "the webapp has no index.html") }
        return files
    }

    private static func summary(of error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }
}
