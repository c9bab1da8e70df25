import Foundation
import Synchronization
import Testing
@testable import TenantRuntime

/// The stepped clock and deadline sweeps, driven by hand: nothing here sleeps.
@Suite struct SteppedClockTests {
    func seconds(_ value: Int64) -> SimulatedTime { SimulatedTime(sinceStart: .seconds(value)) }

    @Test func advanceFiresEachDeadlineInOrderAtItsOwnTime() throws {
        let fixture = try TemporaryRegistry()
        let clock = SteppedClock()
        // Artifact idle 30s, tenant idle 60s (the fixture's).
        let host = fixture.host(clock: clock)
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(host.nextIdleDeadline() == seconds(30))

        let settled = try host.advance(to: seconds(29))
        #expect(settled == AdvanceReport(now: seconds(29), nextDeadline: seconds(30)))
        #expect(host.stats().artifactsActual == 1)

        let report = try host.advance(to: seconds(200))
        #expect(report.now == seconds(200))
        #expect(report.deadlinesFired == 2, "the artifact at 30s, then the tenant at 60s")
        #expect(report.swept == SweepReport(artifactsGhosted: 1, tenantsUnloaded: 1))
        #expect(report.nextDeadline == nil, "nothing loaded: nothing left to expire")
        #expect(clock.now == seconds(200))
        #expect(host.trackedTenantCount == 0)
        #expect(host.liveInstances.total == 0, "\(host.liveInstances.snapshot)")
        #expect(host.nextIdleDeadline() == nil)

        let next = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(next.tenantWas == .unloaded)
        #expect(next.expiredOnArrival.isEmpty, "settled: nothing was left for the request to expire")
    }

    @Test func aRequestBetweenAdvancesMovesTheDeadline() throws {
        let fixture = try TemporaryRegistry()
        let clock = SteppedClock()
        let host = fixture.host(clock: clock)
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        try host.advance(to: seconds(20))
        let warm = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(warm.artifactWas == .actual)
        #expect(host.nextIdleDeadline() == seconds(50))
        #expect(try host.advance(to: seconds(49)).deadlinesFired == 0)
        #expect(try host.advance(to: seconds(50)).swept.artifactsGhosted == 1)
    }

    @Test func advancingBackwardsOrAScaledClockIsRefused() throws {
        let fixture = try TemporaryRegistry()
        let host = fixture.host(clock: SteppedClock())
        try host.advance(to: seconds(10))
        #expect(throws: ClockAdvanceError.backwards(now: seconds(10), requested: seconds(9))) {
            try host.advance(to: seconds(9))
        }
        #expect(try host.advance(to: seconds(10)).deadlinesFired == 0, "advancing to now only settles")
        let scaled = fixture.host(clock: ManualClock())
        #expect(throws: ClockAdvanceError.notStepped) { try scaled.advance(to: seconds(1)) }
    }

    @Test func anArtifactPastItsDeadlineBeforeTheSweepIsFoundExpired() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        clock.advance(by: .seconds(29))
        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").artifactWas == .actual)
        // No sweep has run: the outcome depends on simulated time alone.
        clock.advance(by: .seconds(30))
        let late = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(late.status == 200)
        #expect(late.tenantWas == .loaded)
        #expect(late.artifactWas == .ghost)
        #expect(late.expiredOnArrival == [.artifact])
        #expect(host.liveInstances.count(of: .serviceInstance) == 1, "the expired instance was released")
        let stats = host.stats()
        #expect(stats.artifactGhostingsTotal == 1)
        #expect(stats.artifactDeploysTotal == 2)
        #expect(stats.expiredOnArrivalTotal == 1)
    }

    @Test func aTenantPastItsDeadlineBeforeTheSweepIsUnloadedAndLoadedAfresh() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        clock.advance(by: .seconds(60))
        let late = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(late.status == 200, "\(late.text)")
        #expect(late.tenantWas == .unloaded)
        #expect(late.artifactWas == .ghost)
        #expect(late.expiredOnArrival == [.tenant])
        let stats = host.stats()
        #expect(stats.tenantUnloadsTotal == 1)
        #expect(stats.tenantLoadsTotal == 2)
        #expect(host.liveInstances.count(of: .tenant) == 1)
        let headers = RuntimeFront(host: host)
        clock.advance(by: .seconds(60))
        #expect(headers.respond(method: "GET", path: "/t/t1/a1.service").header("X-Expired-On-Arrival") == "tenant")
    }

    @Test func eagerTenantsAndNoGhostArtifactsNeverExpire() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock) {
            $0.eager = try! EagerSelection(parsing: "*")
            $0.ghostDeployment = false
        }
        try host.loadEagerTenants()
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(host.nextIdleDeadline() == nil)
        clock.advance(by: .seconds(3600))
        let later = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(later.tenantWas == .loaded)
        #expect(later.artifactWas == .actual)
        #expect(later.expiredOnArrival.isEmpty)
    }

    @Test func theSweepScheduleRingsOnlyForAnEarlierDeadline() {
        let schedule = SweepSchedule()
        let rings = Mutex(0)
        schedule.deadlineCreated(at: seconds(5))
        schedule.connect { rings.withLock { $0 += 1 } }
        schedule.planned(seconds(100))
        schedule.deadlineCreated(at: seconds(100))
        schedule.deadlineCreated(at: seconds(150))
        #expect(rings.withLock { $0 } == 0, "the sweeper wakes by then anyway")
        schedule.deadlineCreated(at: seconds(40))
        #expect(rings.withLock { $0 } == 1)
        schedule.deadlineCreated(at: seconds(60))
        #expect(rings.withLock { $0 } == 1, "already rung for an earlier one")
        schedule.planned(nil)
        schedule.deadlineCreated(at: seconds(500))
        #expect(rings.withLock { $0 } == 2, "a sweeper with nothing due wakes for any deadline")
        schedule.planning()
        schedule.deadlineCreated(at: seconds(500))
        #expect(rings.withLock { $0 } == 3, "a deadline made while the sweeper plans is never lost")
    }

    @Test func theClockEndpointAdvancesAndSettles() throws {
        let fixture = try TemporaryRegistry()
        let front = RuntimeFront(host: fixture.host(clock: SteppedClock()))
        _ = front.respond(method: "GET", path: "/t/t1/a1.service")
        let read = front.respond(method: "GET", path: "/_runtime/clock")
        #expect(String(decoding: read.body, as: UTF8.self) == #"{"clock":"stepped","now_ns":0}"#)
        let advanced = front.respond(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=180000000000")
        #expect(advanced.status == 200)
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(advanced.body)) as? [String: Any], "one JSON object")
        #expect(answer["clock"] as? String == "stepped")
        #expect(answer["now_ns"] as? Int == 180_000_000_000)
        #expect(answer["deadlines_fired"] as? Int == 2)
        #expect(answer["artifacts_ghosted"] as? Int == 1)
        #expect(answer["tenants_unloaded"] as? Int == 1)
        #expect(answer["tenants_loaded"] as? Int == 0, "the settled state's stats ride along")
        #expect(answer["open_descriptors"] == nil && answer["threads"] == nil, "not the /proc listings: soak reads /proc")
        #expect(answer["simulated_seconds"] as? Int == 180)
        #expect(front.respond(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=1").status == 409)
        for query in [nil, "advance_to_ns=", "advance_to_ns=-5", "advance_to_ns=1e9", "to=5"] {
            let bad = front.respond(method: "POST", path: "/_runtime/clock", query: query)
            #expect(bad.status == 400, "\(query ?? "no query")")
        }
        #expect(front.respond(method: "DELETE", path: "/_runtime/clock").status == 405)
        let scaled = RuntimeFront(host: fixture.host(clock: ManualClock()))
        let refused = scaled.respond(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=5")
        #expect(refused.status == 409)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("--clock stepped"))
    }

    @Test func theSettledAnswerSaysWhenTheNextDeadlineIsDue() throws {
        let fixture = try TemporaryRegistry()
        let front = RuntimeFront(host: fixture.host(clock: SteppedClock()))
        func advance(to nanoseconds: Int64) throws -> [String: Any] {
            let answer = front.respond(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=\(nanoseconds)")
            #expect(answer.status == 200)
            return try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        }
        #expect(try advance(to: 0)["next_deadline_ns"] is NSNull, "nothing loaded: nothing is ever due")
        _ = front.respond(method: "GET", path: "/t/t1/a1.service")
        // After the request the artifact's and the tenant's idle deadlines are ahead; the answer
        // names the earlier, and up to just before it nothing fires.
        let next = try #require(try advance(to: 1)["next_deadline_ns"] as? Int)
        #expect(next > 1)
        let before = try advance(to: Int64(next) - 1)
        #expect(before["deadlines_fired"] as? Int == 0)
        #expect(before["next_deadline_ns"] as? Int == next)
        let at = try advance(to: Int64(next))
        #expect(at["deadlines_fired"] as? Int == 1, "due at its own time")
        // Once everything has idled out, nothing is due until a request comes.
        let settled = try advance(to: 180_000_000_000)
        #expect(settled["tenants_loaded"] as? Int == 0)
        #expect(settled["next_deadline_ns"] is NSNull)
    }

    @Test func steppedAdvancesAreAnsweredOnTheEventLoop() throws {
        let fixture = try TemporaryRegistry()
        let stepped = RuntimeFront(host: fixture.host(clock: SteppedClock()))
        _ = stepped.respond(method: "GET", path: "/t/t1/a1.service")
        // The loop answers an advance itself: no hand-off to a handler thread and back per step.
        let advanced = try #require(
            stepped.respondIfWarm(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=180000000000"))
        #expect(advanced.status == 200)
        #expect(stepped.host.stats().tenantsLoaded == 0, "the advance fired its deadlines before answering")
        // Under a clock that runs by itself there is nothing to step, and the refusal waits for a
        // handler like any other request that is not a warm one.
        let scaled = RuntimeFront(host: fixture.host(clock: ManualClock()))
        #expect(scaled.respondIfWarm(method: "POST", path: "/_runtime/clock", query: "advance_to_ns=5") == nil)
    }

    @Test func steppedColdRequestsAreAnsweredOnTheEventLoopToo() throws {
        let fixture = try TemporaryRegistry()
        let stepped = RuntimeFront(host: fixture.host(clock: SteppedClock()))
        // A tenant load and a deployment, answered by the loop itself under the stepped clock.
        let cold = try #require(stepped.respondIfWarm(method: "GET", path: "/t/t1/a1.service"))
        #expect(cold.status == 200)
        #expect(cold.header("X-Tenant-Was") == "unloaded")
        #expect(stepped.host.stats().artifactsActual == 1)
        // The same request under a clock that runs by itself waits for a handler thread.
        let scaled = RuntimeFront(host: fixture.host(clock: ManualClock()))
        #expect(scaled.respondIfWarm(method: "GET", path: "/t/t1/a1.service") == nil)
        #expect(scaled.host.stats().tenantsLoaded == 0, "nothing was loaded by the refused inline attempt")
    }

    @Test func theCommandLineTakesAClock() throws {
        guard case .serve(let options) = try TenantdCommand.parse(["--registry", "r", "--clock", "stepped"]) else {
            Issue.record("expected serve")
            return
        }
        #expect(options.clock == .stepped)
        #expect(throws: UsageError.self) { try TenantdCommand.parse(["--registry", "r", "--clock", "virtual"]) }
        #expect(throws: UsageError.self) {
            try TenantdCommand.parse(["--registry", "r", "--clock", "stepped", "--time-scale", "7200"])
        }
    }
}
