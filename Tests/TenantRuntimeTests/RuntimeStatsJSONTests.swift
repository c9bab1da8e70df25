import Foundation
import Testing
@testable import TenantRuntime

/// The stats are written by hand for speed; these pin the text to what `JSONEncoder` wrote
/// before, so readers of `/_runtime/stats` see no change.
@Suite struct RuntimeStatsJSONTests {
    static func stats(timeScale: Double, simulated: Double, optionals: Bool) -> RuntimeStats {
        RuntimeStats(
            heapInUseBytes: 203_872, heapFreeBytes: 336_800, heapArenaBytes: 540_672, heapMmappedBytes: 0,
            tenantsLoaded: 1, artifactsActual: 0, artifactsGhost: 1, tenantLoadsTotal: 3, tenantUnloadsTotal: 2,
            artifactDeploysTotal: 7, artifactGhostingsTotal: 6, requestsTotal: 9,
            expiredOnArrivalTotal: optionals ? 4 : nil,
            liveInstances: ["Tenant": 1, "ArtifactGhost": 1, "Connection": 2, "Odd \"name\"\n": 5],
            liveInstancesTotal: 2, openDescriptors: optionals ? 9 : nil, threads: optionals ? 4 : nil,
            simulatedSeconds: simulated, timeScale: timeScale, clock: optionals ? "stepped" : nil)
    }

    static func encoderText(_ stats: RuntimeStats) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(stats), as: UTF8.self)
    }

    @Test(arguments: [(0.0, 691_200.0, true), (7200.0, 0.0, false), (0.5, 1440.25, true), (1e-3, 12.5, false)])
    func handWrittenTextIsTheEncodersText(timeScale: Double, simulated: Double, optionals: Bool) throws {
        let stats = Self.stats(timeScale: timeScale, simulated: simulated, optionals: optionals)
        #expect(String(decoding: stats.jsonBytes(), as: UTF8.self) == (try Self.encoderText(stats)))
    }

    @Test func textDecodesToTheSameStats() throws {
        let stats = Self.stats(timeScale: 28_800, simulated: 3.25e7, optionals: true)
        let decoded = try JSONDecoder().decode(RuntimeStats.self, from: Data(stats.jsonBytes()))
        #expect(try Self.encoderText(decoded) == (try Self.encoderText(stats)))
    }

    @Test func liveHostStatsAreValidJSON() throws {
        let fixture = try TemporaryRegistry()
        let host = fixture.host(clock: ManualClock())
        let object = try JSONSerialization.jsonObject(with: Data(host.stats().jsonBytes())) as? [String: Any]
        #expect(object?["heap_in_use_bytes"] is Int)
        #expect(object?["live_instances"] is [String: Int])
    }
}
