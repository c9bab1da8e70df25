import Testing
@testable import SoakProfiles
@testable import SoakRun

/// A target on a stepped clock, modelled in a few lines: one artifact that idles to a ghost
/// after `idle` of simulated time, unless `neverGhosts` (a runtime bug). Its clock moves only
/// through `advance(to:)`, which fires the deadline as tenantd's does.
final class SteppedTarget: VirtualTimeline, RequestSending {
    var now = Duration.zero
    var deployed = false
    var lastUse = Duration.zero
    let idle: Duration
    var neverGhosts = false
    /// Times the harness advanced to, in order, and what it did in between.
    var log: [String] = []
    var failAdvanceAt: Duration?

    init(idle: Duration = .seconds(60)) { self.idle = idle }

    func advance(to time: Duration) -> Result<Void, TimelineError> {
        if time == failAdvanceAt { return .failure(TimelineError("status 500: sweep failed")) }
        guard time >= now else { return .failure(TimelineError("backwards")) }
        now = time
        if deployed, !neverGhosts, now - lastUse >= idle { deployed = false }
        log.append("advance \(time.components.seconds)")
        return .success(())
    }

    /// Whether it takes a request and the next advance in one exchange, as tenantd's port does.
    var pipelines = false

    func send(
        _ request: Profile.Request, thenAdvance timeline: any VirtualTimeline, to time: Duration
    ) -> (RequestOutcome, Result<Void, TimelineError>)? {
        guard pipelines else { return nil }
        let outcome = send(request)
        let advanced = advance(to: time)
        log[log.count - 1] += " behind it"
        return (outcome, advanced)
    }

    func send(_ request: Profile.Request) -> RequestOutcome {
        log.append("request \(now.components.seconds)")
        let wasGhost = !deployed
        deployed = true
        lastUse = now
        return RequestOutcome(status: 200, latencyMilliseconds: 1, tenantWas: "loaded",
                              artifactWas: wasGhost ? "ghost" : "actual")
    }
}

@Suite struct SteppedDriverTests {
    func drive(
        _ target: SteppedTarget, duration: Duration = .seconds(3600), minimumWallPeriod: Duration = .milliseconds(1),
        stop: @escaping () -> DriverStop? = { nil }
    ) -> (ScenarioDriver.Result, CollectingSink, ManualRunClock) {
        let clock = ManualRunClock()
        let sink = CollectingSink()
        var sampling = Profile.Sampling()
        sampling.every = .seconds(60)
        sampling.minimumWallPeriod = minimumWallPeriod
        let scenario = Profile.Scenario(
            kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180), duration: duration)
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: scenario), sampling: sampling, scale: 7200, clock: clock,
            sender: target, sampler: FakeSampler(), sink: sink, timeline: target, shouldStop: stop)
        return (driver.run(), sink, clock)
    }

    @Test func everyCycleSettlesBeforeItsTroughAndRequestWithNoWallTimePassing() {
        let target = SteppedTarget()
        let (result, sink, clock) = drive(target)
        #expect(result.cyclesCompleted == 20)
        #expect(result.stoppedBy == nil)
        #expect(result.integrity.isComplete && result.integrity.cycles == 20)
        #expect(clock.now == .zero, "a stepped run never waits for wall time")
        // Each cycle: the periodic minutes, then the request time itself, then the request.
        #expect(Array(target.log.prefix(7)) == [
            "advance 0", "request 0", "advance 0", "advance 60", "advance 120", "advance 180", "request 180",
        ])
        let troughs = sink.samples.filter { $0.kind == .trough }
        #expect(troughs.count == 20, "one per cycle after the first, and a final one")
        #expect(troughs.first?[.simSeconds] == 180)
        #expect(troughs.last?[.simSeconds] == 3600)
        #expect(sink.samples.filter { $0.kind == .periodic }.count == 60)
        #expect(sink.requests.map(\.simSeconds) == (0..<20).map { Double($0 * 180) })
        #expect(sink.progress.last?.simSeconds == 3420)
    }

    @Test func aRequestAndTheNextAdvanceInOneExchangeRecordTheSameRun() {
        // Periodic samples every 144 s: the step after a request is to the next one of them.
        let plain = SteppedTarget()
        let (plainResult, plainSink, _) = drive(plain, minimumWallPeriod: .milliseconds(20))
        let piped = SteppedTarget()
        piped.pipelines = true
        let (result, sink, _) = drive(piped, minimumWallPeriod: .milliseconds(20))
        #expect(result.integrity.isComplete && result.integrity.cycles == 20)
        // At 0 the next step is to 0 itself (the first periodic sample, after the request): the
        // advance that settles what the request left rides behind it. At 180 the step to 288
        // does; the driver's own advances to those times then find the target there (tenantd's
        // timeline sends nothing for them).
        #expect(Array(piped.log.prefix(9)) == [
            "advance 0", "request 0", "advance 0 behind it", "advance 0", "advance 144", "advance 180",
            "request 180", "advance 288 behind it", "advance 288",
        ])
        #expect(sink.samples.map { [$0.kind.rawValue, "\($0[.simSeconds] ?? -1)"] }
            == plainSink.samples.map { [$0.kind.rawValue, "\($0[.simSeconds] ?? -1)"] })
        #expect(sink.requests.map(\.simSeconds) == plainSink.requests.map(\.simSeconds))
        #expect(result.integrity.validCycles == plainResult.integrity.validCycles)
    }

    @Test func periodicSamplesAreNoDenserThanTheProfilesScaledClockWouldTakeThem() {
        // 20 ms of wall time at 7200x is 144 s of simulated time, more than the minute asked for.
        let (_, sink, _) = drive(SteppedTarget(), minimumWallPeriod: .milliseconds(20))
        let times = sink.samples.filter { $0.kind == .periodic }.map { $0[.simSeconds]! }
        #expect(times.prefix(3) == [0, 144, 288])
        #expect(times.count == 25)
    }

    @Test func aTargetThatNeverGhostsFailsIntegrityEveryCycleAfterTheFirst() {
        let target = SteppedTarget()
        target.neverGhosts = true
        let (result, _, _) = drive(target)
        #expect(result.integrity.cycles == 20)
        #expect(result.integrity.validCycles == 1)
        #expect(result.integrity.firstViolationKind == .state)
    }

    @Test func anAdvanceThatFailsStopsTheRunAndSaysWhy() {
        let target = SteppedTarget()
        target.failAdvanceAt = .seconds(540)
        let (result, _, _) = drive(target)
        #expect(result.stoppedBy == .clockFailed("status 500: sweep failed"))
        #expect(result.cyclesCompleted == 3)
    }

    @Test func aStopRequestEndsTheRunBetweenAdvances() {
        let target = SteppedTarget()
        var checks = 0
        let (result, _, _) = drive(target) {
            checks += 1
            return checks > 10 ? .interrupted : nil
        }
        #expect(result.stoppedBy == .interrupted)
        #expect(result.cyclesCompleted < 20)
    }

    @Test func sweptLateCyclesAreCountedApartFromWrongOnes() {
        let clock = ManualRunClock()
        let sender = FakeSender(clock: clock)
        let sink = CollectingSink()
        final class LateSender: RequestSending {
            let inner: FakeSender
            init(_ inner: FakeSender) { self.inner = inner }
            func send(_ request: Profile.Request) -> RequestOutcome {
                var outcome = inner.send(request)
                if inner.sent.count == 4 { outcome.expiredOnArrival = "artifact" }
                return outcome
            }
        }
        let scenario = Profile.Scenario(
            kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180), duration: .seconds(1800))
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: scenario), sampling: Profile.Sampling(), scale: 7200, clock: clock,
            sender: LateSender(sender), sampler: FakeSampler(), sink: sink, shouldStop: { nil })
        let result = driver.run()
        #expect(result.integrity.isComplete)
        #expect(result.sweptLateCycles == 1)
    }
}
