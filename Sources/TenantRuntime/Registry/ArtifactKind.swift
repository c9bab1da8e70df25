/// The kinds of deployable artifact, named by the artifact's file extension.
public enum ArtifactKind: String, Sendable, Codable, CaseIterable {
    /// A handler definition (JSON) whose deployment builds in-memory state of `payloadKB`.
    case service
    /// A folder of static files, served from memory once deployed.
    case webapp
}

/// An artifact's identity inside its tenant: `<name>.<kind>`, as it appears in request paths.
public struct ArtifactID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The artifact's name within its tenant.
    public let name: String
    /// Service or webapp.
    public let kind: ArtifactKind

    /// The artifact `name` of `kind`.
    public init(name: String, kind: ArtifactKind) {
        self.name = name
        self.kind = kind
    }

    /// Parses a validated file name such as `a1.service`; nil when the extension is not a kind.
    public init?(fileName: RegistryName) {
        guard let dot = fileName.text.lastIndex(of: "."),
              let kind = ArtifactKind(rawValue: String(fileName.text[fileName.text.index(after: dot)...])),
              dot != fileName.text.startIndex
        else { return nil }
        self.init(name: String(fileName.text[..<dot]), kind: kind)
    }

    /// `<name>.<kind>`.
    public var fileName: String { "\(name).\(kind.rawValue)" }
    public var description: String { fileName }
    public static func < (lhs: ArtifactID, rhs: ArtifactID) -> Bool { lhs.fileName < rhs.fileName }
}
