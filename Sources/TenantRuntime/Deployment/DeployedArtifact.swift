import Foundation

/// The real, deployed form of an artifact: it holds memory and answers requests.
protocol DeployedArtifact: AnyObject, Sendable {
    /// Answers a request for `rest` (the path below the artifact, `/` for itself).
    func respond(to rest: String) -> ArtifactReply
    /// Metadata for the ghost that replaces it.
    var ghostRecord: GhostRecord { get }
}

/// What an artifact answers.
public struct ArtifactReply: Sendable {
    /// The HTTP status the artifact answers with.
    public var status: Int
    /// The `Content-Type` of `body`.
    public var contentType: String
    /// The response body.
    public var body: [UInt8]
}

/// A deployed service: its definition plus `payloadKB` of state built in memory, in 4 KiB chunks
/// so that deploying and ghosting really allocate and free, the way a real handler's caches do.
final class ServiceInstance: DeployedArtifact, @unchecked Sendable {
    let definition: ServiceDefinition
    let ghostRecord: GhostRecord
    private let chunks: [[UInt8]]
    private let live: LiveInstances
    /// Set only by the retain-cycle fault injection.
    var retainedHandler: (@Sendable () -> Void)?

    init(definition: ServiceDefinition, ghost: GhostRecord, live: LiveInstances) {
        self.definition = definition
        self.ghostRecord = ghost
        self.live = live
        var generator = UInt8(truncatingIfNeeded: ghost.name.utf8.count)
        chunks = (0..<max(0, definition.payloadKB)).map { index in
            generator &+= UInt8(truncatingIfNeeded: index)
            return [UInt8](repeating: generator, count: 1024)
        }
        live.created(.serviceInstance)
        live.created(.deployedArtifact)
        live.created(.payloadBuffer, count: chunks.count)
    }

    deinit {
        live.destroyed(.serviceInstance)
        live.destroyed(.deployedArtifact)
        live.destroyed(.payloadBuffer, count: chunks.count)
    }

    func respond(to rest: String) -> ArtifactReply {
        guard definition.routes.contains(rest) || (rest == "/" && definition.routes.isEmpty) else {
            let text = "service \(ghostRecord.name) has no route \(rest); routes: \(definition.routes)\n"
            return ArtifactReply(status: 404, contentType: "text/plain", body: Array(text.utf8))
        }
        // Touch the state so the request really depends on it.
        let checksum = chunks.reduce(0) { $0 &+ Int($1.first ?? 0) }
        let text = "\(definition.reply) (state \(chunks.count) KiB, checksum \(checksum))\n"
        return ArtifactReply(status: 200, contentType: "text/plain", body: Array(text.utf8))
    }
}

/// A deployed webapp: every static file of its folder, read into memory.
final class WebappInstance: DeployedArtifact, @unchecked Sendable {
    let ghostRecord: GhostRecord
    private let files: [String: [UInt8]]
    private let live: LiveInstances
    /// Set only by the retain-cycle fault injection.
    var retainedHandler: (@Sendable () -> Void)?

    init(files: [String: [UInt8]], ghost: GhostRecord, live: LiveInstances) {
        self.files = files
        self.ghostRecord = ghost
        self.live = live
        live.created(.webappInstance)
        live.created(.deployedArtifact)
    }

    deinit {
        live.destroyed(.webappInstance)
        live.destroyed(.deployedArtifact)
    }

    func respond(to rest: String) -> ArtifactReply {
        let key = rest == "/" ? "/index.html" : rest
        guard let body = files[key] else {
            return ArtifactReply(status: 404, contentType: "text/plain", body: Array("no file \(rest)\n".utf8))
        }
        return ArtifactReply(status: 200, contentType: WebappInstance.contentType(of: key), body: body)
    }

    static func contentType(of path: String) -> String {
        if path.hasSuffix(".html") { return "text/html" }
        if path.hasSuffix(".css") { return "text/css" }
        if path.hasSuffix(".js") { return "application/javascript" }
        if path.hasSuffix(".json") { return "application/json" }
        return "application/octet-stream"
    }
}
