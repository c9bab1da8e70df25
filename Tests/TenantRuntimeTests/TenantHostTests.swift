import Foundation
import Synchronization
import Testing
@testable import TenantRuntime

@Suite struct TenantHostTests {
    @Test func artifactGoesActualToGhostToActualAndTenantUnloads() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock)

        let first = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(first.status == 200, "\(first.text)")
        #expect(first.tenantWas == .unloaded)
        #expect(first.artifactWas == .ghost)
        #expect(first.text.contains("hello from t1/a1.service"))

        let warm = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/status")
        #expect(warm.tenantWas == .loaded)
        #expect(warm.artifactWas == .actual)

        clock.advance(by: .seconds(29))
        #expect(host.sweep() == SweepReport())
        clock.advance(by: .seconds(1))
        #expect(host.sweep() == SweepReport(artifactsGhosted: 1, tenantsUnloaded: 0))
        #expect(host.stats().artifactsGhost == 2)

        let again = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(again.tenantWas == .loaded)
        #expect(again.artifactWas == .ghost)

        clock.advance(by: .seconds(60))
        // The tenant is unloaded whole: its deployed artifact goes with it rather than being ghosted first.
        #expect(host.sweep() == SweepReport(artifactsGhosted: 0, tenantsUnloaded: 1))
        #expect(host.trackedTenantCount == 0)
        let stats = host.stats()
        #expect(stats.tenantsLoaded == 0)
        #expect(stats.tenantLoadsTotal == 1)
        #expect(stats.tenantUnloadsTotal == 1)
        #expect(stats.artifactDeploysTotal == 2)

        let reloaded = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(reloaded.tenantWas == .unloaded)
        #expect(reloaded.artifactWas == .ghost)
    }

    @Test func unloadingRemovesAllBookkeepingAndInstances() throws {
        let fixture = try TemporaryRegistry(tenants: 3, artifacts: 3)
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        for t in 1...3 {
            for a in 1...3 { _ = host.invoke(tenant: "t\(t)", artifact: "a\(a).service", rest: "/") }
        }
        #expect(host.trackedTenantCount == 3)
        #expect(host.liveInstances.count(of: .serviceInstance) == 9)
        clock.advance(by: .seconds(3600))
        host.sweep()
        #expect(host.trackedTenantCount == 0)
        #expect(host.liveInstances.total == 0, "\(host.liveInstances.snapshot)")
    }

    @Test func liveInstancesReturnToBaselineWithoutInjection() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        let baseline = host.liveInstances.total
        for _ in 0..<20 {
            #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
            clock.advance(by: .seconds(120))
            host.sweep()
        }
        #expect(host.liveInstances.total == baseline)
    }

    @Test func retainCycleInjectionKeepsInstancesAlive() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock) { $0.injectedLeak = .retainCycle }
        for _ in 0..<5 {
            #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
            clock.advance(by: .seconds(120))
            host.sweep()
        }
        #expect(host.trackedTenantCount == 0)
        #expect(host.liveInstances.count(of: .tenant) == 5)
        #expect(host.liveInstances.count(of: .serviceInstance) == 5)
    }

    @Test func eagerTenantsLoadAtStartAndNeverUnload() throws {
        let fixture = try TemporaryRegistry(tenants: 3)
        let clock = ManualClock()
        let host = fixture.host(clock: clock) { $0.eager = try! EagerSelection(parsing: "*,!t2") }
        #expect(try host.loadEagerTenants().isEmpty)
        #expect(host.stats().tenantsLoaded == 2)
        let first = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(first.tenantWas == .loaded)
        #expect(host.invoke(tenant: "t2", artifact: "a1.service", rest: "/").tenantWas == .unloaded)
        clock.advance(by: .seconds(86400))
        #expect(host.sweep().tenantsUnloaded == 1, "only the lazy t2 unloads")
        #expect(host.stats().tenantsLoaded == 2)
    }

    @Test func tenantWithRequestInFlightIsNeverUnloaded() throws {
        let fixture = try TemporaryRegistry()
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        try host.withTenant(try RegistryName("t1")) { _, _ in
            clock.advance(by: .seconds(3600))
            #expect(host.sweep().tenantsUnloaded == 0)
        }
        #expect(host.trackedTenantCount == 1)
        clock.advance(by: .seconds(60))
        #expect(host.sweep().tenantsUnloaded == 1)
    }

    @Test func concurrentFirstRequestsCauseExactlyOneLoad() throws {
        let fixture = try TemporaryRegistry()
        let loads = Atomic(0)
        let host = fixture.host(clock: ManualClock()) { configuration in
            configuration.loadHook = { _ in
                loads.add(1, ordering: .relaxed)
                usleep(50_000)  // hold the load open so the other requests pile up behind it
            }
        }
        let statuses = Mutex([Int]())
        runConcurrently(50) { _ in
            let status = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status
            statuses.withLock { $0.append(status) }
        }
        #expect(loads.load(ordering: .relaxed) == 1)
        #expect(statuses.withLock { $0 } == [Int](repeating: 200, count: 50))
        #expect(host.stats().artifactDeploysTotal == 1)
    }

    @Test func waitingForASlowLoadIsBoundedAndAnswers503() throws {
        let fixture = try TemporaryRegistry()
        let host = fixture.host(clock: ManualClock()) { configuration in
            configuration.waitTimeout = .milliseconds(50)
            configuration.loadHook = { _ in usleep(400_000) }
        }
        let statuses = Mutex([Int]())
        runConcurrently(2) { index in
            if index == 1 { usleep(50_000) }
            let invocation = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
            statuses.withLock { $0.append(invocation.status) }
            if invocation.status == 503 { #expect(invocation.text.contains("timed out")) }
        }
        #expect(statuses.withLock { $0.sorted() } == [200, 503])
    }

    @Test func failedLoadPublishesNothingAndTheNextRequestRetries() throws {
        let fixture = try TemporaryRegistry()
        let attempts = Atomic(0)
        let host = fixture.host(clock: ManualClock()) { configuration in
            configuration.loadHook = { tenant throws(RuntimeError) in
                if attempts.add(1, ordering: .relaxed).newValue == 1 {
                    throw RuntimeError(status: 500, message: "registry unavailable")
                }
            }
        }
        let failed = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(failed.status == 500)
        #expect(failed.text.contains("registry unavailable"))
        #expect(host.trackedTenantCount == 0)
        #expect(host.liveInstances.total == 0)
        let retried = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(retried.status == 200)
        #expect(retried.tenantWas == .unloaded)
    }

    @Test(arguments: ["..", ".", "../t1", "t1/../t2", "a b", "", String(repeating: "x", count: 65), "t1%2F..", "ü"])
    func namesThatTryToEscapeAreRefusedWith400(name: String) throws {
        let fixture = try TemporaryRegistry()
        let host = fixture.host(clock: ManualClock())
        let asTenant = host.invoke(tenant: name, artifact: "a1.service", rest: "/")
        #expect(asTenant.status == 400)
        #expect(asTenant.text.contains("[A-Za-z0-9._-]"))
        let asArtifact = host.invoke(tenant: "t1", artifact: name, rest: "/")
        #expect(asArtifact.status == 400)
        #expect(host.trackedTenantCount == 0)
    }

    @Test func unknownTenantAndArtifactAre404AndLeaveNoBookkeeping() throws {
        let fixture = try TemporaryRegistry()
        let host = fixture.host(clock: ManualClock())
        #expect(host.invoke(tenant: "nobody", artifact: "a1.service", rest: "/").status == 404)
        #expect(host.trackedTenantCount == 0)
        let missing = host.invoke(tenant: "t1", artifact: "zz.service", rest: "/")
        #expect(missing.status == 404)
        #expect(missing.text.contains("zz.service"))
    }

    @Test func corruptArtifactFailsAloneWith500() throws {
        let fixture = try TemporaryRegistry()
        try fixture.write("{ not json", to: "tenants/t1/artifacts/a2.service")
        let host = fixture.host(clock: ManualClock())
        let broken = host.invoke(tenant: "t1", artifact: "a2.service", rest: "/")
        #expect(broken.status == 500)
        #expect(broken.text.contains("a2.service"))
        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
        #expect(host.invoke(tenant: "t1", artifact: "a2.service", rest: "/").status == 500, "retried, still broken")
    }
}
