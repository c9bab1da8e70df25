import MiniHTTP

/// Starts nodes: the seam between the controller's decisions and real processes, so the controller
/// is tested with nodes that are values and a clock that moves by hand.
package protocol NodeLauncher: Sendable {
    /// Starts a node for `id` and returns it once it listens; throws when it cannot.
    func start(_ id: NodeID) throws -> any RunningNode
}

/// A started node's process, as far as the controller needs it.
package protocol RunningNode: Sendable {
    var pid: Int32 { get }
    var address: SocketAddress { get }
    /// Whether the process has ended (reaped once it has); never blocks.
    func hasEnded() -> Bool
    /// Ends the process in steps (SIGTERM, a grace period, SIGKILL) and reaps it.
    func stop()
    /// How many tenants the node holds loaded now, or nil when it cannot say (not answering).
    /// Called from the controller's thread only, so it may block for a short bounded time.
    func loadedTenants() -> Int?
    /// Makes `partitions` exactly the registry partitions the node may read, and returns once it
    /// has unloaded the tenants of those it gave up; false when it could not confirm that.
    func own(partitions: [Int]) -> Bool
}

extension RunningNode {
    package func loadedTenants() -> Int? { nil }
    package func own(partitions: [Int]) -> Bool { true }
}

/// Reads a node's `/_runtime/stats` without Foundation: the front needs one counter of it.
package enum RuntimeStatsProbe {
    /// The whole number after `"key":` in a flat JSON object, or nil.
    package static func integer(_ key: String, in body: [UInt8]) -> Int? {
        let needle = Array("\"\(key)\":".utf8)
        guard needle.count <= body.count else { return nil }
        for start in 0...(body.count - needle.count) where body[start] == needle[0] {
            guard body[start..<(start + needle.count)].elementsEqual(needle) else { continue }
            var index = start + needle.count
            while index < body.count, body[index] == UInt8(ascii: " ") { index += 1 }
            var value = 0, digits = 0
            while index < body.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(body[index]), digits < 18 {
                value = value * 10 + Int(body[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
        return nil
    }
}
