import Foundation
import Testing
@testable import TenantRuntime

/// Live instances by type: each injected leak grows exactly the type that names it, and a clean
/// cycle returns every type to its baseline.
@Suite struct LiveTypeTests {
    /// Runs `cycles` service cycles (request, idle, sweep) and returns the counts by type name.
    private func counts(after cycles: Int, leak: LeakKind?) throws -> [String: Int] {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 1, payloadKB: 8)
        let clock = ManualClock()
        let host = fixture.host(clock: clock) { configuration in
            configuration.injectedLeak = leak
            configuration.tenantIdle = .seconds(86400)
        }
        for _ in 0..<cycles {
            #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
            clock.advance(by: .seconds(120))
            host.sweep()
        }
        return host.stats().liveInstances
    }

    @Test func cleanCyclesLeaveNoDeployedStateBehind() throws {
        let live = try counts(after: 4, leak: nil)
        #expect(live["DeployedArtifact"] == 0 && live["ServiceInstance"] == 0 && live["PayloadBuffer"] == 0, "\(live)")
        #expect(live["Tenant"] == 1 && live["Artifact"] == 1, "\(live)")
        #expect(live["GlobalCacheEntry"] == 0 && live["HeldDescriptor"] == 0 && live["ParkedThread"] == 0)
    }

    @Test func eachInjectedLeakGrowsTheTypeThatNamesIt() throws {
        let retained = try counts(after: 4, leak: .retainCycle)
        #expect(retained["DeployedArtifact"] == 4 && retained["ServiceInstance"] == 4, "\(retained)")
        #expect(retained["PayloadBuffer"] == 4 * 8, "every retained service keeps its 8 KiB of 1 KiB buffers")
        // One tenant load, one cache entry for it, then one per deployment.
        #expect(try counts(after: 4, leak: .globalCache)["GlobalCacheEntry"] == 5)
        #expect(try counts(after: 4, leak: .fd)["HeldDescriptor"] == 5)
        #expect(try counts(after: 2, leak: .thread)["ParkedThread"] == 3)
    }

    @Test func gaugesArePublishedBesideTheRuntimesTypes() {
        let live = LiveInstances()
        live.addGauge("Connection") { 3 }
        #expect(live.snapshotByName["Connection"] == 3)
        #expect(live.total == 0, "a gauge is not one of the runtime's objects")
    }
}
