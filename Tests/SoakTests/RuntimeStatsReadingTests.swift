import Testing
@testable import SoakRun

@Suite struct RuntimeStatsReadingTests {
    static func decode(_ text: String) -> RuntimeStatsReading? {
        RuntimeStatsReading.decode(Array(text.utf8))
    }

    @Test func readsTenantdsStats() throws {
        let body = #"{"artifact_deploys_total":7,"clock":"stepped","heap_arena_bytes":540672,"heap_free_bytes":336800,"# +
            #""heap_in_use_bytes":203872,"heap_mmapped_bytes":0,"live_instances":{"Connection":2,"Tenant":1},"# +
            #""live_instances_total":1,"simulated_seconds":691200,"tenants_loaded":1,"artifacts_actual":0,"# +
            #""artifacts_ghost":1,"time_scale":0}"#
        let reading = try #require(Self.decode(body))
        #expect(reading.heapInUseBytes == 203_872)
        #expect(reading.heapFreeBytes == 336_800)
        #expect(reading.heapArenaBytes == 540_672)
        #expect(reading.heapMmappedBytes == 0)
        #expect(reading.liveInstancesTotal == 1)
        #expect(reading.tenantsLoaded == 1)
        #expect(reading.artifactsActual == 0)
        #expect(reading.artifactsGhost == 1)
        #expect(reading.liveInstances == ["Connection": 2, "Tenant": 1])
        #expect(reading.hasValues)
    }

    @Test func skipsFieldsItDoesNotKnowOfAnyShape() throws {
        let body = #"{"version":"1.2","uptime":[1,2,{"x":null}],"nested":{"heap_in_use_bytes":"no"},"ok":true,"# +
            #""heap_in_use_bytes":1e3,"tenants_loaded":7.0,"heap_free_bytes":null}"#
        let reading = try #require(Self.decode(body))
        #expect(reading.heapInUseBytes == 1000)
        #expect(reading.tenantsLoaded == 7)
        #expect(reading.heapFreeBytes == nil)
        #expect(reading.liveInstances == nil)
    }

    @Test func anObjectOfOtherThingsHasNoValues() throws {
        #expect(try #require(Self.decode(#"{"status":"up"}"#)).hasValues == false)
    }

    @Test(arguments: [
        "", "[]", "42", "not json", #"{"heap_in_use_bytes":"12"}"#, #"{"heap_in_use_bytes":1.5}"#,
        #"{"heap_in_use_bytes":1e300}"#, #"{"live_instances":[1]}"#, #"{"live_instances":{"T":"x"}}"#,
        #"{"heap_in_use_bytes":1"#,
    ])
    func refusesBodiesThatAreNotTheStats(_ body: String) {
        #expect(Self.decode(body) == nil)
    }
}
