import Testing
@testable import TenantRuntime

/// A node started with `--partitions` reads only the partitions it owns, and gives one up only
/// once nothing of it is loaded or in flight.
@Suite struct PartitionOwnershipTests {
    let clock = ManualClock()

    func host(_ registry: TemporaryRegistry) -> TenantHost {
        registry.host(clock: clock) { $0.partitions = PartitionScheme(count: 4) }
    }

    @Test func aNodeOwnsNothingUntilToldAndRefusesOtherPartitionsWith421() throws {
        let registry = try TemporaryRegistry(tenants: 2, artifacts: 1)
        let host = host(registry)
        let scheme = PartitionScheme(count: 4)
        #expect(host.ownedPartitions == [])
        let refused = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(refused.status == 421)
        #expect(refused.text.contains("partition \(scheme.partition(of: "t1"))"))
        #expect(host.stats().tenantLoadsTotal == 0, "nothing was read")
        let change = try #require(host.own(partitions: [scheme.partition(of: "t1")], waitingUpTo: .zero))
        #expect(change.stillBusy == 0)
        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
        if scheme.partition(of: "t2") != scheme.partition(of: "t1") {
            #expect(host.invoke(tenant: "t2", artifact: "a1.service", rest: "/").status == 421)
        }
    }

    @Test func givingAPartitionUpUnloadsItsTenantsButNeverUnderARequest() throws {
        let registry = try TemporaryRegistry(tenants: 1, artifacts: 1)
        let host = host(registry)
        let partition = PartitionScheme(count: 4).partition(of: "t1")
        _ = host.own(partitions: [partition], waitingUpTo: .zero)
        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
        // A request in flight holds the tenant: the release reports it busy and unloads nothing.
        var during: PartitionChange?
        try host.withTenant(RegistryName("t1")) { _, _ in
            during = host.own(partitions: [], waitingUpTo: .zero)
        }
        #expect(during?.stillBusy == 1)
        #expect(during?.releasedTenants == 0)
        // New requests are refused from the moment the partition is given up.
        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 421)
        let after = try #require(host.own(partitions: [], waitingUpTo: .zero))
        #expect(after == PartitionChange(owned: [], releasedTenants: 1, stillBusy: 0))
        #expect(host.stats().tenantsLoaded == 0)
        #expect(host.trackedTenantCount == 0, "no bookkeeping outlives the hand-over")
    }

    @Test func theEndpointSetsAndShowsTheOwnedPartitions() throws {
        let registry = try TemporaryRegistry(tenants: 1, artifacts: 1)
        let front = RuntimeFront(host: host(registry))
        #expect(front.respond(method: "POST", path: "/_runtime/partitions", query: "own=0,2").status == 200)
        let shown = front.respond(method: "GET", path: "/_runtime/partitions")
        #expect(String(decoding: shown.body, as: UTF8.self).contains("\"owned\":[0,2]"))
        #expect(front.respond(method: "POST", path: "/_runtime/partitions", query: "own=9").status == 400)
        #expect(front.respond(method: "POST", path: "/_runtime/partitions", query: "own=").status == 200)
        let whole = RuntimeFront(host: registry.host(clock: clock))
        #expect(whole.respond(method: "GET", path: "/_runtime/partitions").status == 404)
    }
}
