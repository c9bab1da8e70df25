import Foundation

/// The JSON a `.service` artifact holds.
public struct ServiceDefinition: Codable, Sendable, Equatable {
    /// Paths under the artifact the service answers; `/` is the artifact itself.
    public var routes: [String]
    /// Kilobytes of in-memory state a deployment builds.
    public var payloadKB: Int
    /// Text the service answers with.
    public var reply: String

    /// A service answering `reply` on `routes`, whose deployment builds `payloadKB` KiB of state.
    public init(routes: [String] = ["/"], payloadKB: Int, reply: String) {
        self.routes = routes
        self.payloadKB = payloadKB
        self.reply = reply
    }
}
