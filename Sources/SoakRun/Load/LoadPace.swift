/// When one load connection sends its next request: its share of the load's rate, spread so the
/// connections do not fire together, and never bunched to make up for lost time.
///
/// A connection that fell behind (a slow response, a starved thread) sends its next request at
/// once and then keeps its period: a burst to catch up would load the target harder than the
/// profile says, exactly when it is already slow.
package struct LoadPace: Sendable, Equatable {
    /// Wall time between this connection's requests: connections ÷ perSecond.
    package let period: Duration
    /// When the next request is due.
    package private(set) var next: Duration

    /// The pace of connection `index` (from 0) of `connections` sharing `perSecond`, from `start`.
    package init(perSecond: Double, connections: Int, index: Int, start: Duration) {
        let connections = max(1, connections)
        period = .seconds(Double(connections) / perSecond)
        next = start + period * (Double(index % connections) / Double(connections))
    }

    /// Moves to the request after the one just sent, `now` being when it finished.
    package mutating func advance(finishedAt now: Duration) {
        next = max(next + period, now)
    }

    /// Sends on `clock` at this pace until `stopped` holds (checked before every request, and
    /// whenever the clock is woken), calling `send` for each request.
    package mutating func run(on clock: any RunClock, until stopped: () -> Bool, send: () -> Void) {
        while clock.sleep(until: next, unless: stopped) {
            send()
            advance(finishedAt: clock.now)
        }
    }
}
