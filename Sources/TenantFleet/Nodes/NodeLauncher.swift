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
}
