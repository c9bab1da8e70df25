/// A request the runtime could not serve, with the HTTP status that says why.
public struct RuntimeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The HTTP status the front answers with.
    public let status: Int
    /// A message a person can act on.
    public let message: String

    public var description: String { message }

    static func badName(_ error: RegistryNameError) -> RuntimeError {
        RuntimeError(status: 400, message: error.description)
    }
    static func unknownTenant(_ tenant: RegistryName) -> RuntimeError {
        RuntimeError(status: 404, message: "no tenant \"\(tenant)\" in the registry")
    }
    static func unknownArtifact(_ artifact: String, tenant: RegistryName) -> RuntimeError {
        RuntimeError(status: 404, message: "tenant \"\(tenant)\" has no artifact \"\(artifact)\"")
    }
    static func loadFailed(_ tenant: RegistryName, _ reason: String) -> RuntimeError {
        RuntimeError(status: 500, message: "tenant \"\(tenant)\" failed to load: \(reason)")
    }
    static func deployFailed(_ artifact: ArtifactID, _ reason: String) -> RuntimeError {
        RuntimeError(status: 500, message: "artifact \"\(artifact)\" failed to deploy: \(reason)")
    }
    static func notOwned(_ tenant: RegistryName, partition: Int) -> RuntimeError {
        RuntimeError(status: 421, message: "tenant \"\(tenant)\" is in partition \(partition), which this node "
            + "does not own now; send it through the fleet's front")
    }
    static func timedOut(_ what: String, after timeout: Duration) -> RuntimeError {
        RuntimeError(status: 503, message: "timed out after \(timeout) waiting for \(what); try again")
    }
}
