import Foundation

/// What a ghost keeps of an artifact: metadata only, a few hundred bytes on disk.
struct GhostRecord: Codable, Sendable, Equatable {
    var name: String
    var kind: ArtifactKind
    /// Routes the artifact answers; empty until its first deployment has read them.
    var routes: [String]
    /// Bytes of in-memory state the artifact builds when deployed.
    var deployedBytes: Int
    /// The artifact's file status when this record was written; a mismatch means it changed.
    var source: FileStatus

    /// A ghost made from a directory entry alone, before the artifact was ever deployed.
    static func bare(_ id: ArtifactID, source: FileStatus) -> GhostRecord {
        GhostRecord(name: id.name, kind: id.kind, routes: [], deployedBytes: 0, source: source)
    }
}

/// Reads and writes ghost files beside the registry (`<root>/ghosts/<tenant>/<artifact>.ghost.json`).
struct GhostStore: Sendable {
    let registry: Registry

    /// The ghost for `id`, or a bare ghost when the file is missing, unreadable or stale (the
    /// artifact's file status no longer matches the one recorded).
    func ghost(of id: ArtifactID, in tenant: RegistryName) -> GhostRecord {
        let source = FileStatus(path: registry.artifactPath(tenant, id))
            ?? FileStatus(size: -1, modifiedNanos: 0, isDirectory: false)
        let path = registry.ghostPath(tenant, id)
        if let data = FileManager.default.contents(atPath: path),
           let record = try? JSONDecoder().decode(GhostRecord.self, from: data),
           record.source == source
        {
            return record
        }
        return .bare(id, source: source)
    }

    /// Writes the ghost file after a deployment, atomically so a reader never sees half a file.
    func save(_ record: GhostRecord, in tenant: RegistryName) {
        let id = ArtifactID(name: record.name, kind: record.kind)
        let folder = registry.ghostFolder(tenant)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(record)
            try data.write(to: URL(fileURLWithPath: registry.ghostPath(tenant, id)), options: .atomic)
        } catch {
            // A ghost file is a cache: failing to write one costs a slower next load, never a request.
        }
    }
}
