import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

/// Answers like a tenantd whose artifact is a ghost again at every cycle, except where told.
final class FakeSender: RequestSending {
    var sent: [String] = []
    var foundActualOnRequest: Set<Int> = []
    var failOnRequest: Set<Int> = []
    let clock: ManualRunClock

    init(clock: ManualRunClock) { self.clock = clock }

    func send(_ request: Profile.Request) -> RequestOutcome {
        defer { sent.append(request.path) }
        clock.advance(by: .milliseconds(1))
        if failOnRequest.contains(sent.count) {
            return RequestOutcome(status: nil, failure: "request timed out", latencyMilliseconds: 5000)
        }
        let wasActual = foundActualOnRequest.contains(sent.count)
        return RequestOutcome(
            status: 200, latencyMilliseconds: 1, tenantWas: sent.isEmpty ? "unloaded" : "loaded",
            artifactWas: sent.isEmpty || !wasActual ? "ghost" : "actual")
    }
}

final class FakeSampler: SampleTaking {
    var taken = 0
    func takeSample() -> SampleRow {
        taken += 1
        var row = SampleRow()
        row[.rssBytes] = 1_000_000
        return row
    }
}

final class CollectingSink: RunSink {
    var samples: [SampleRow] = []
    var requests: [RequestRecord] = []
    var progress: [DriverProgress] = []
    func record(sample: SampleRow) { samples.append(sample) }
    func record(request: RequestRecord) { requests.append(request) }
    func progress(_ progress: DriverProgress) { self.progress.append(progress) }
}

@Suite struct ScenarioDriverTests {
    func scenario(_ kind: Profile.ScenarioKind = .serviceGhost, duration: Duration = .seconds(3600)) -> Profile.Scenario {
        Profile.Scenario(kind: kind, requests: ["/t/t1/a1.service"], interval: .seconds(180), duration: duration)
    }

    func drive(
        _ scenario: Profile.Scenario, scale: Double = 7200, configure: (FakeSender) -> Void = { _ in },
        stop: @escaping () -> DriverStop? = { nil }
    ) -> (ScenarioDriver.Result, CollectingSink, ManualRunClock) {
        let clock = ManualRunClock()
        let sender = FakeSender(clock: clock)
        configure(sender)
        let sink = CollectingSink()
        var sampling = Profile.Sampling()
        sampling.every = .seconds(60)
        sampling.minimumWallPeriod = .milliseconds(1)
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: scenario), sampling: sampling, scale: scale, clock: clock,
            sender: sender, sampler: FakeSampler(), sink: sink, shouldStop: stop)
        return (driver.run(), sink, clock)
    }

    @Test func replaysEveryCycleOnTheScaledClockWithoutSleeping() {
        let (result, sink, clock) = drive(scenario())
        #expect(result.cyclesCompleted == 20)
        #expect(result.stoppedBy == nil)
        #expect(result.integrity == { var i = Integrity(); i.cycles = 20; i.validCycles = 20; return i }())
        // One trough per cycle after the first, plus a final one at the end of the last idle period.
        #expect(sink.samples.filter { $0.kind == .trough }.count == 20)
        // Periodic samples every simulated minute: 60 over the hour.
        let periodic = sink.samples.filter { $0.kind == .periodic }.count
        #expect((58...61).contains(periodic), "\(periodic)")
        // The whole simulated hour took half a second of (manual) wall time.
        #expect(abs(clock.now.secondsValue - 0.5) < 0.01)
        let trough = sink.samples.first { $0.kind == .trough }!
        #expect(trough[.cycle] == 1)
        #expect(abs(trough[.simSeconds]! - 180) < 1)
        #expect(sink.progress.last?.cycle == 20)
    }

    @Test func troughComesJustBeforeTheCyclesRequest() {
        let (_, sink, _) = drive(scenario(duration: .seconds(540)))
        let troughTimes = sink.samples.filter { $0.kind == .trough }.map { $0[.simSeconds]! }
        let requestTimes = sink.requests.map(\.simSeconds)
        #expect(requestTimes.count == 3)
        for (trough, request) in zip(troughTimes, requestTimes.dropFirst()) {
            #expect(trough <= request)
            #expect(request - trough < 10, "same phase: right before the request")
        }
    }

    @Test func aCycleThatFindsTheArtifactStillDeployedBreaksIntegrity() {
        let (result, sink, _) = drive(scenario()) { $0.foundActualOnRequest = [5, 9] }
        #expect(result.integrity.cycles == 20)
        #expect(result.integrity.validCycles == 18)
        #expect(result.integrity.firstViolation?.contains("cycle 5") == true)
        #expect(result.integrity.firstViolation?.contains("expected the artifact to be a ghost") == true)
        #expect(sink.requests[5].violation != nil)
        #expect(!result.integrity.isComplete)
    }

    @Test func aTimedOutRequestIsAFailureAndTheRunGoesOn() {
        let (result, sink, _) = drive(scenario()) { $0.failOnRequest = [3] }
        #expect(result.cyclesCompleted == 20)
        #expect(result.failedRequests == 1)
        #expect(result.integrity.validCycles == 19)
        #expect(sink.requests[3].outcome.failure == "request timed out")
    }

    @Test func tenantScenarioNeedsTheTenantUnloaded() {
        // The fake reports the tenant `loaded` after the first request: every later cycle is invalid.
        let (result, _, _) = drive(scenario(.tenantUnload))
        #expect(result.integrity.validCycles == 1)
        #expect(result.integrity.firstViolation?.contains("expected the tenant to be unloaded") == true)
    }

    @Test func stopsWhenAskedAndSaysWhy() {
        var calls = 0
        let (result, _, _) = drive(scenario()) { _ in } stop: {
            calls += 1
            return calls > 40 ? .targetExited : nil
        }
        #expect(result.stoppedBy == .targetExited)
        #expect(result.cyclesCompleted < 20)
    }
}

@Suite struct ScenarioPlanTests {
    @Test func manyTenantsPicksASeededSubsetThatChangesByEpoch() {
        var scenario = Profile.Scenario(
            kind: .manyTenants, requests: ["/t/{tenant}/{artifact}"], interval: .seconds(180),
            duration: .seconds(86400))
        scenario.churn = Profile.Churn(tenants: 300, artifactsPerTenant: 5, activeTenants: 20, changeEvery: .seconds(3600), seed: 42)
        let plan = ScenarioPlan(scenario: scenario)
        let tenants = { (cycle: Int) in Set(plan.paths(forCycle: cycle).map { $0.split(separator: "/")[1] }) }
        #expect(plan.paths(forCycle: 0).count == 20)
        #expect(tenants(0) == tenants(19), "same hour, same subset")
        #expect(tenants(0) != tenants(20), "next hour, new subset")
        #expect(plan.paths(forCycle: 7) == ScenarioPlan(scenario: scenario).paths(forCycle: 7), "deterministic")
        #expect(plan.paths(forCycle: 3).allSatisfy { $0.hasPrefix("/t/t") && $0.hasSuffix(".service") })

        // The template and the seeded kind decide the path, not a built-in shape.
        scenario.requests = ["/t/{tenant}/{artifact}/index.html"]
        let webapps = ScenarioPlan(scenario: scenario, artifactKind: "webapp").paths(forCycle: 3)
        #expect(webapps.count == 20)
        #expect(webapps.allSatisfy { $0.hasPrefix("/t/t") && $0.hasSuffix(".webapp/index.html") }, "\(webapps)")
        #expect(zip(webapps, plan.paths(forCycle: 3)).allSatisfy {
            $0.0 == $0.1.replacingOccurrences(of: ".service", with: ".webapp/index.html")
        }, "same tenants and artifacts, only the template differs")
    }

    @Test func firstCycleMayFindAnything() {
        let plan = ScenarioPlan(scenario: Profile.Scenario(kind: .serviceGhost, requests: ["/x"], interval: .seconds(1), duration: .seconds(2)))
        let request: Profile.Request = "/x"
        let actual = RequestOutcome(status: 200, latencyMilliseconds: 1, artifactWas: "actual")
        #expect(plan.problem(of: actual, for: request, inCycle: 0) == nil)
        #expect(plan.problem(of: actual, for: request, inCycle: 1)?.kind == .state)
        let failed = RequestOutcome(status: 503, latencyMilliseconds: 1, artifactWas: "ghost")
        #expect(plan.problem(of: failed, for: request, inCycle: 0)
            == RequestProblem(.request, "status 503, expected 2xx or 3xx"))
    }

    @Test func aRequestSucceedsOnTheStatusesItExpects() {
        let plan = ScenarioPlan(
            scenario: Profile.Scenario(kind: .plain, requests: ["/x"], interval: .seconds(1), duration: .seconds(2)))
        var post = Profile.Request(path: "/orders")
        post.method = "POST"
        post.expect = [201]
        func outcome(_ status: Int) -> RequestOutcome { RequestOutcome(status: status, latencyMilliseconds: 1) }
        #expect(plan.problem(of: outcome(201), for: post, inCycle: 3) == nil)
        #expect(plan.problem(of: outcome(200), for: post, inCycle: 3)
            == RequestProblem(.request, "status 200, expected 201"))
        post.expect = [200, 201, 202]
        #expect(plan.problem(of: outcome(404), for: post, inCycle: 0)?.message
            == "status 404, expected 200, 201 or 202")
        // By default any 2xx or 3xx: a redirect is an answer, a 404 is not.
        let get: Profile.Request = "/x"
        #expect(plan.problem(of: outcome(302), for: get, inCycle: 1) == nil)
        #expect(plan.problem(of: outcome(404), for: get, inCycle: 1)?.kind == .request)
        let refused = RequestOutcome(status: nil, failure: "connection refused: nothing listens at 127.0.0.1:9",
                                     latencyMilliseconds: 0)
        #expect(plan.problem(of: refused, for: get, inCycle: 0)
            == RequestProblem(.request, "connection refused: nothing listens at 127.0.0.1:9"))
    }
}

/// Takes one sample that stalls the harness, as a descheduled process would.
final class StallingSampler: SampleTaking {
    let clock: ManualRunClock
    let stallOnSample: Int
    let stall: Duration
    var taken = 0

    init(clock: ManualRunClock, stallOnSample: Int, stall: Duration) {
        self.clock = clock
        self.stallOnSample = stallOnSample
        self.stall = stall
    }

    func takeSample() -> SampleRow {
        taken += 1
        if taken == stallOnSample { clock.advance(by: stall) }
        var row = SampleRow()
        row[.rssBytes] = 1_000_000
        return row
    }
}

@Suite struct ScenarioDriverLatenessTests {
    @Test func aLateCyclePushesTheNextBackSoNoIdlePeriodIsShortened() {
        let clock = ManualRunClock()
        let sink = CollectingSink()
        var sampling = Profile.Sampling()
        sampling.every = .seconds(60)
        sampling.minimumWallPeriod = .milliseconds(1)
        // At 7200x a cycle of 3m is 25 ms of wall time; one sample stalls for 20 ms.
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: Profile.Scenario(
                kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180),
                duration: .seconds(3600))),
            sampling: sampling, scale: 7200, clock: clock, sender: FakeSender(clock: clock),
            sampler: StallingSampler(clock: clock, stallOnSample: 30, stall: .milliseconds(20)), sink: sink,
            shouldStop: { nil })
        let result = driver.run()
        #expect(result.cyclesCompleted == 20)
        #expect(result.lateCycles == 1)
        // Beyond the 5% allowance (1.25 ms of a 25 ms cycle).
        #expect(result.maxLateness > .microseconds(1250))
        let times = sink.requests.map(\.simSeconds)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        // Every gap between requests is at least 95% of the 180 s interval, the late one included.
        #expect(gaps.allSatisfy { $0 >= 171 }, "\(gaps)")
        #expect(gaps.contains { $0 > 190 }, "the stalled cycle itself came late: \(gaps)")
    }

    @Test func aStalledRequestPushesTheNextCycleBackFromItsEnd() {
        let clock = ManualRunClock()
        let sink = CollectingSink()
        let sender = StallingSender(clock: clock, stallOnRequest: 7, stall: .milliseconds(25))
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: Profile.Scenario(
                kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180),
                duration: .seconds(3600))),
            sampling: Profile.Sampling(), scale: 7200, clock: clock, sender: sender, sampler: FakeSampler(),
            sink: sink, shouldStop: { nil })
        let result = driver.run()
        #expect(result.lateCycles == 1)
        // The request of cycle 7 took a whole interval of simulated time; the next one still
        // comes at least 95% of an interval after it ended.
        let stalled = sink.requests[7].simSeconds + 180
        #expect(sink.requests[8].simSeconds - stalled >= 170.9, "\(sink.requests.map(\.simSeconds))")
    }
}

/// A sender whose one request takes a long time.
final class StallingSender: RequestSending {
    let clock: ManualRunClock
    let stallOnRequest: Int
    let stall: Duration
    var sent = 0

    init(clock: ManualRunClock, stallOnRequest: Int, stall: Duration) {
        self.clock = clock
        self.stallOnRequest = stallOnRequest
        self.stall = stall
    }

    func send(_ request: Profile.Request) -> RequestOutcome {
        defer { sent += 1 }
        clock.advance(by: sent == stallOnRequest ? stall : .microseconds(100))
        return RequestOutcome(
            status: 200, latencyMilliseconds: 0.1, tenantWas: sent == 0 ? "unloaded" : "loaded",
            artifactWas: "ghost")
    }
}
