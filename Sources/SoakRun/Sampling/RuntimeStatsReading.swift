import SoakAnalysis
import FoundationEssentials
import Glibc
import SoakProfiles

/// The part of a target's `/_runtime/stats` JSON the harness records. Every field is optional:
/// a generic target may offer some of them, or none.
package struct RuntimeStatsReading: Sendable, Equatable {
    package var heapInUseBytes: Int?
    package var heapFreeBytes: Int?
    package var heapArenaBytes: Int?
    package var heapMmappedBytes: Int?
    package var liveInstancesTotal: Int?
    package var tenantsLoaded: Int?
    package var artifactsActual: Int?
    package var artifactsGhost: Int?
    /// Live instances by type name (tenantd's `live_instances`): the `types` culprits.
    package var liveInstances: [String: Int]?

    package init() {}

    /// Whether the body held any of the fields (a JSON object of other things decodes too).
    package var hasValues: Bool {
        [heapInUseBytes, heapFreeBytes, heapArenaBytes, heapMmappedBytes, liveInstancesTotal, tenantsLoaded,
         artifactsActual, artifactsGhost].contains { $0 != nil }
    }

    /// The counter field a JSON name stands for.
    private static func counter(named name: String) -> WritableKeyPath<RuntimeStatsReading, Int?>? {
        switch name {
        case "heap_in_use_bytes": \.heapInUseBytes
        case "heap_free_bytes": \.heapFreeBytes
        case "heap_arena_bytes": \.heapArenaBytes
        case "heap_mmapped_bytes": \.heapMmappedBytes
        case "live_instances_total": \.liveInstancesTotal
        case "tenants_loaded": \.tenantsLoaded
        case "artifacts_actual": \.artifactsActual
        case "artifacts_ghost": \.artifactsGhost
        default: nil
        }
    }

    /// Decodes a stats body; nil when it is not a JSON object, or when a field it knows holds
    /// something other than a whole number (or null).
    ///
    /// Read with the profile's JSON reader rather than `JSONDecoder`: a stepped run decodes the
    /// stats after every advance of the clock, thousands of times in a row, and the decoder was
    /// a third of the harness's CPU time there.
    package static func decode(_ body: [UInt8]) -> RuntimeStatsReading? {
        var parser = ProfileJSONParser(bytes: body)
        guard let document = try? parser.parseDocument() else { return nil }
        return decode(document)
    }

    /// Decodes a stats body already parsed (a stepped clock's settled answer, which the timeline
    /// reads for its next deadline); nil as for a body.
    package static func decode(_ document: ProfileJSON) -> RuntimeStatsReading? {
        guard case .object(let members) = document.kind else { return nil }
        var reading = RuntimeStatsReading()
        for member in members {
            if let field = counter(named: member.key) {
                switch member.value.kind {
                case .null: reading[keyPath: field] = nil
                case .number(let text):
                    guard let value = wholeNumber(text) else { return nil }
                    reading[keyPath: field] = value
                default: return nil
                }
            } else if member.key == "live_instances" {
                switch member.value.kind {
                case .null: reading.liveInstances = nil
                case .object(let types):
                    var counts: [String: Int] = [:]
                    for type in types {
                        guard case .number(let text) = type.value.kind, let count = wholeNumber(text) else { return nil }
                        counts[type.key] = count
                    }
                    reading.liveInstances = counts
                default: return nil
                }
            }
        }
        return reading
    }

    /// A JSON number that is a whole number within `Int` (`42`, `1e3`, `7.0`); nil otherwise.
    private static func wholeNumber(_ text: String) -> Int? {
        if let exact = Int(text) { return exact }
        guard let value = Double(text), value.rounded() == value, abs(value) < 0x1p63 else { return nil }
        return Int(value)
    }
}

/// Samples the target: its process tree from /proc, its runtime stats when it has them, and the
/// harness's own RSS, all into one `SampleRow`.
package final class TargetSampler: SampleTaking {
    private let tree: any ProcessSetSampling
    private let reads: SampleReads
    /// Samples so far whose set named smaps_rollup (see `SampleReads.smapsRollupEvery`).
    private var smapsRollupWanted = 0
    private let fetchStats: (() -> RuntimeStatsReading?)?
    private let harness = HarnessMemory()
    private let sources: [any MetricSource]
    private let onNotice: (String) -> Void
    private let culpritSchedule: CulpritSchedule

    /// `fetchStats` reads the target's stats endpoint; nil for targets without one. `sources` fill
    /// the declared columns; `onNotice` hears, once, why a source has no values. The stats'
    /// live instances by type are recorded as culprits at the samples `culprits` names.
    package convenience init(
        rootPID: pid_t, fetchStats: (() -> RuntimeStatsReading?)?, sources: [any MetricSource] = [],
        reads: SampleReads = SampleReads(), culprits: CulpritSchedule = CulpritSchedule(troughs: true),
        onNotice: @escaping (String) -> Void = { _ in }
    ) {
        self.init(processes: ProcessTreeSampler(rootPID: rootPID), fetchStats: fetchStats, sources: sources,
                  reads: reads, culprits: culprits, onNotice: onNotice)
    }

    /// Samples `processes` (a tree, or a cgroup's members for `soak watch --cgroup`).
    package init(
        processes: any ProcessSetSampling, fetchStats: (() -> RuntimeStatsReading?)?,
        sources: [any MetricSource] = [], reads: SampleReads = SampleReads(),
        culprits: CulpritSchedule = CulpritSchedule(troughs: true), onNotice: @escaping (String) -> Void = { _ in }
    ) {
        tree = processes
        self.reads = reads
        self.fetchStats = fetchStats
        self.sources = sources
        self.onNotice = onNotice
        culpritSchedule = culprits
    }

    package func takeSample() -> SampleRow { takeSample(kind: .periodic) }

    package func takeSample(kind: SampleKind) -> SampleRow {
        // Sources first: a trough's full GC (jcmd) must come before the tree's memory is read.
        var declared = SampleRow()
        // The first time, discover the tree before the sources look in it (a JVM under a launcher).
        if tree.pids.isEmpty, !sources.isEmpty { _ = tree.sample(reading: []) }
        let pids = tree.pids.isEmpty ? [tree.rootPID] : tree.pids
        for source in sources {
            source.read(kind: kind, tree: pids, into: &declared)
            if let notice = source.takeNotice() { onNotice(notice) }
        }
        var files = kind == .trough ? reads.trough : reads.periodic
        if files.contains(.smapsRollup) {
            if smapsRollupWanted % reads.smapsRollupEvery != 0 { files.remove(.smapsRollup) }
            smapsRollupWanted += 1
        }
        var row = sampleTree(reading: files, kind: kind)
        row.declared = declared.declared
        row.culprits = declared.culprits + row.culprits
        return row
    }

    private func sampleTree(reading files: ProcFiles, kind: SampleKind) -> SampleRow {
        var row = SampleRow()
        let process = tree.sample(reading: files)
        row.set(.rssBytes, process.rssBytes)
        row.set(.rssAnonBytes, process.rssAnonBytes)
        row.set(.hwmBytes, process.hwmBytes)
        row.set(.pssBytes, process.pssBytes)
        row.set(.privateBytes, process.privateBytes)
        row.set(.threads, process.threads)
        row.set(.fds, process.fds)
        row[.cpuSeconds] = process.cpuSeconds
        row.set(.minorFaults, process.minorFaults)
        row.set(.majorFaults, process.majorFaults)
        row.set(.processes, process.processes)
        if process.processes > 0, let stats = fetchStats?() {
            row.set(.heapInUseBytes, stats.heapInUseBytes)
            row.set(.heapFreeBytes, stats.heapFreeBytes)
            row.set(.heapArenaBytes, stats.heapArenaBytes)
            row.set(.heapMmappedBytes, stats.heapMmappedBytes)
            row.set(.liveInstances, stats.liveInstancesTotal)
            row.set(.tenantsLoaded, stats.tenantsLoaded)
            row.set(.artifactsActual, stats.artifactsActual)
            row.set(.artifactsGhost, stats.artifactsGhost)
            if let types = stats.liveInstances, !types.isEmpty, culpritSchedule.reads(at: kind) {
                row.culprits.append(CulpritReading(
                    source: .types, unit: .instances, values: types.mapValues(Double.init)))
            }
        }
        row.set(.harnessRSSBytes, harness.rssBytes())
        return row
    }
}
