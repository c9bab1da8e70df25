import TenantRuntime

/// When a dead node's replacement starts: at once the first time, then with exponential backoff
/// while the node keeps dying young (a crash loop), so a node that cannot stay up costs a start
/// every few seconds at most instead of one per tick. A value (STYLE.md 4): the controller owns
/// it under its lock and feeds it wall times; tests feed it durations.
package struct RestartBackoff: Sendable, Equatable {
    /// A replacement that dies within this much wall time of its start is part of a crash loop.
    package var crashWindow: Duration = .seconds(10)
    /// The delay after the first young death of a replacement; doubled for each one after.
    package var firstDelay: Duration = .milliseconds(500)
    /// The longest delay: a crash-looping node is still tried this often, so it comes back by
    /// itself once whatever killed it is gone.
    package var maximumDelay: Duration = .seconds(30)
    /// Young deaths in a row, per node id; absent: not looping.
    private(set) var streaks: [NodeID: Int] = [:]
    /// Restarts that waited because of a streak, since the front started.
    package private(set) var delayedRestarts = 0

    package init() {}

    /// The delay before replacing node `id`, which died after `lived` of wall time. `wasReplacement`:
    /// the node that died was itself a replacement (a first node dying young is not yet a loop).
    package mutating func delay(afterDeathOf id: NodeID, lived: Duration, wasReplacement: Bool) -> Duration {
        guard wasReplacement, lived < crashWindow else {
            streaks[id] = nil
            return .zero
        }
        return bump(id)
    }

    /// The delay before trying again after a replacement for `id` failed to start at all.
    package mutating func delay(afterFailedStartOf id: NodeID) -> Duration { bump(id) }

    /// Forgets node `id`: it was drained on purpose, so its next life starts with a clean slate.
    package mutating func forget(_ id: NodeID) { streaks[id] = nil }

    /// Young deaths in a row of node `id` (0 when it is not looping).
    package func streak(of id: NodeID) -> Int { streaks[id] ?? 0 }

    /// The ids in a crash loop now, in order.
    package var looping: [NodeID] { streaks.keys.sorted() }

    private mutating func bump(_ id: NodeID) -> Duration {
        let streak = (streaks[id] ?? 0) + 1
        streaks[id] = streak
        delayedRestarts += 1
        // 2^(streak-1), capped well before the shift could overflow.
        let factor = 1 << min(streak - 1, 20)
        return min(firstDelay * factor, maximumDelay)
    }
}
