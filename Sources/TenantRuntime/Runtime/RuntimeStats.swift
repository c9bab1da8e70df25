import CSystemShim
import Foundation
import Glibc
import SoakUnits

/// The body of `GET /_runtime/stats`: heap counters, what is loaded, totals and live instances.
/// Keys are snake_case with units, matching the harness's sample columns.
public struct RuntimeStats: Codable, Sendable {
    /// glibc `mallinfo2` `uordblks + hblkhd`: bytes the program holds from malloc.
    public var heapInUseBytes: Int
    /// `fordblks`: free bytes malloc keeps in its arenas.
    public var heapFreeBytes: Int
    /// `arena`: bytes of the main arena taken from the system with brk.
    public var heapArenaBytes: Int
    /// `hblkhd`: bytes of blocks malloc mapped on their own.
    public var heapMmappedBytes: Int
    /// Tenants loaded now.
    public var tenantsLoaded: Int
    /// Artifacts deployed for real now, across loaded tenants.
    public var artifactsActual: Int
    /// Artifacts present as ghosts (metadata only) now, across loaded tenants.
    public var artifactsGhost: Int
    /// Tenant loads since start.
    public var tenantLoadsTotal: Int
    /// Tenant unloads (idle expiry) since start.
    public var tenantUnloadsTotal: Int
    /// Real deployments of artifacts (ghost or cold to actual) since start.
    public var artifactDeploysTotal: Int
    /// Actual artifacts turned back into ghosts since start.
    public var artifactGhostingsTotal: Int
    /// Requests to artifacts since start.
    public var requestsTotal: Int
    /// Tenants and artifacts a request found past their idle deadline before the sweep did.
    public var expiredOnArrivalTotal: Int?
    /// Live objects per runtime type (`Tenant`, `DeployedArtifact`, `PayloadBuffer`, ...), plus
    /// counts kept outside the runtime (`Connection`): the series the harness names culprits from.
    public var liveInstances: [String: Int]
    /// The sum of `liveInstances` over the runtime's own types: the `live_instances` column.
    public var liveInstancesTotal: Int
    /// Open file descriptors of the process; nil when /proc could not be read.
    public var openDescriptors: Int?
    /// Threads of the process; nil when /proc could not be read.
    public var threads: Int?
    /// Simulated seconds since start, on the runtime's own clock.
    public var simulatedSeconds: Double
    /// Simulated seconds per wall second (`--time-scale`); 0 under the stepped clock, which has no rate.
    public var timeScale: Double
    /// `scaled` or `stepped`.
    public var clock: String?

    enum CodingKeys: String, CodingKey {
        case heapInUseBytes = "heap_in_use_bytes", heapFreeBytes = "heap_free_bytes"
        case heapArenaBytes = "heap_arena_bytes", heapMmappedBytes = "heap_mmapped_bytes"
        case tenantsLoaded = "tenants_loaded", artifactsActual = "artifacts_actual"
        case artifactsGhost = "artifacts_ghost", tenantLoadsTotal = "tenant_loads_total"
        case tenantUnloadsTotal = "tenant_unloads_total", artifactDeploysTotal = "artifact_deploys_total"
        case artifactGhostingsTotal = "artifact_ghostings_total", requestsTotal = "requests_total"
        case liveInstances = "live_instances", liveInstancesTotal = "live_instances_total"
        case openDescriptors = "open_descriptors", threads, simulatedSeconds = "simulated_seconds"
        case timeScale = "time_scale", clock
        case expiredOnArrivalTotal = "expired_on_arrival_total"
    }

    /// The stats as compact JSON with sorted keys; absent optional fields are left out.
    ///
    /// Written by hand rather than with `JSONEncoder`: under the stepped clock every advance
    /// answers with the stats, thousands of times a run, and the encoder was a third of that
    /// answer's cost. `RuntimeStatsJSONTests` checks the text decodes to the same stats.
    public func jsonBytes() -> [UInt8] {
        // Written in sorted key order as it goes, with no list of fields to build and sort.
        var text = "{"
        text.reserveCapacity(640)
        func field(_ key: String, _ value: String) {
            if text.utf8.count > 1 { text += "," }
            text += "\"" + key + "\":" + value
        }
        field("artifact_deploys_total", String(artifactDeploysTotal))
        field("artifact_ghostings_total", String(artifactGhostingsTotal))
        field("artifacts_actual", String(artifactsActual))
        field("artifacts_ghost", String(artifactsGhost))
        if let clock {
            var quoted = ""
            JSONText.appendQuoted(clock, to: &quoted)
            field("clock", quoted)
        }
        if let expiredOnArrivalTotal { field("expired_on_arrival_total", String(expiredOnArrivalTotal)) }
        field("heap_arena_bytes", String(heapArenaBytes))
        field("heap_free_bytes", String(heapFreeBytes))
        field("heap_in_use_bytes", String(heapInUseBytes))
        field("heap_mmapped_bytes", String(heapMmappedBytes))
        var types = "{"
        for (name, count) in liveInstances.sorted(by: { $0.key < $1.key }) {
            if types.utf8.count > 1 { types += "," }
            JSONText.appendQuoted(name, to: &types)
            types += ":" + String(count)
        }
        field("live_instances", types + "}")
        field("live_instances_total", String(liveInstancesTotal))
        if let openDescriptors { field("open_descriptors", String(openDescriptors)) }
        field("requests_total", String(requestsTotal))
        field("simulated_seconds", JSONText.number(simulatedSeconds))
        field("tenant_loads_total", String(tenantLoadsTotal))
        field("tenant_unloads_total", String(tenantUnloadsTotal))
        field("tenants_loaded", String(tenantsLoaded))
        if let threads { field("threads", String(threads)) }
        field("time_scale", JSONText.number(timeScale))
        return Array((text + "}").utf8)
    }
}

extension TenantHost {
    /// A consistent-enough snapshot for monitoring: each counter is read once, without stopping
    /// requests. Without `process`, the descriptor and thread counts (a listing of /proc/self
    /// each, the costly part) are left out.
    public func stats(process: Bool = true) -> RuntimeStats {
        let heap = lazysoak_heap_info_read()
        let tenants = slots.withLock { slots in slots.values.compactMap { $0.tenant } }
        let artifacts = tenants.reduce(into: (actual: 0, ghost: 0)) { sum, tenant in
            let counts = tenant.artifactCounts
            sum.actual += counts.actual
            sum.ghost += counts.ghost
        }
        let live = liveInstances.snapshotByName
        return RuntimeStats(
            heapInUseBytes: Int(heap.in_use), heapFreeBytes: Int(heap.free),
            heapArenaBytes: Int(heap.arena), heapMmappedBytes: Int(heap.mmapped),
            tenantsLoaded: tenants.count, artifactsActual: artifacts.actual, artifactsGhost: artifacts.ghost,
            tenantLoadsTotal: counters.value(.tenantLoads), tenantUnloadsTotal: counters.value(.tenantUnloads),
            artifactDeploysTotal: counters.value(.artifactDeploys),
            artifactGhostingsTotal: counters.value(.artifactGhostings), requestsTotal: counters.value(.requests),
            expiredOnArrivalTotal: counters.value(.expiredOnArrival),
            liveInstances: live, liveInstancesTotal: liveInstances.total,
            openDescriptors: process ? ProcessSelf.openDescriptorCount() : nil,
            threads: process ? ProcessSelf.threadCount() : nil,
            simulatedSeconds: clock.now.seconds, timeScale: clock.scale, clock: clock.kind.rawValue)
    }
}

/// Facts about this process read from /proc.
///
/// Counted with readdir rather than Foundation's directory listing or by parsing the status text:
/// a stepped run asks for the stats after every advance of the clock, so their cost is paid
/// thousands of times in a row.
enum ProcessSelf {
    static func openDescriptorCount() -> Int? {
        // Counts the descriptor the listing itself holds, as the Foundation listing before it did,
        // so the series goes on from older runs and baselines.
        entryCount(of: "/proc/self/fd")
    }

    static func threadCount() -> Int? {
        entryCount(of: "/proc/self/task")
    }

    /// Entries of a directory other than `.` and `..`; nil when it cannot be read.
    private static func entryCount(of path: String) -> Int? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var count = 0
        while let entry = readdir(stream) {
            let isDots = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDots { count += 1 }
        }
        return count
    }
}
