import SoakProfiles

/// One connection of the harness's own load: sends the load's requests in turn, at its share of
/// the rate, and counts each into the shared tally.
///
/// The thread, the clock and the sender are the caller's, so a test runs it on a manual clock
/// with a fake sender and never sleeps.
package struct LoadConnection: Sendable {
    package var requests: [Profile.Request]
    package var perSecond: Double
    package var connections: Int
    /// This connection's position among them, from 0: it staggers the start and the first request.
    package var index: Int

    package init(requests: [Profile.Request], perSecond: Double, connections: Int, index: Int) {
        self.requests = requests
        self.perSecond = perSecond
        self.connections = connections
        self.index = index
    }

    /// Sends until `stopped` holds. A request that was in flight when it did is not counted: the
    /// stop comes before the target's teardown, and what that cut short says nothing of the target.
    package func run(clock: any RunClock, sender: any RequestSending, tally: LoadTally, until stopped: () -> Bool) {
        guard !requests.isEmpty, perSecond > 0 else { return }
        var pace = LoadPace(perSecond: perSecond, connections: connections, index: index, start: clock.now)
        var turn = index % requests.count
        pace.run(on: clock, until: stopped) {
            let request = requests[turn]
            turn = (turn + 1) % requests.count
            let outcome = sender.send(request)
            guard !stopped() else { return }
            tally.record(latencyMilliseconds: outcome.latencyMilliseconds, failure: Self.failure(of: outcome, request))
        }
    }

    /// Why `outcome` is not a success of `request`, in the words of the scenario's own messages.
    static func failure(of outcome: RequestOutcome, _ request: Profile.Request) -> String? {
        guard let status = outcome.status else { return "\(request.label): \(outcome.failure ?? "no response")" }
        if request.expects(status) { return nil }
        return "\(request.label): status \(status), expected \(request.expectation)"
    }
}
