import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// Culprits: recorded as lines at troughs, read back as series, judged warn-only, and named in the
/// verdict beside the metrics.
@Suite struct CulpritTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/culprits").path

    /// Trough readings of types over `cycles`: `grow` gains one instance per cycle, `flat` stays
    /// at 2, `noisy` moves ±1 around 3 without a trend.
    static func typeLines(cycles: Int, interval: Double = 180) -> String {
        (0..<cycles).map { cycle in
            let values: [String: Double] = ["grow": Double(cycle), "flat": 2, "noisy": Double(3 + (cycle % 3) - 1)]
            return CulpritReading(source: .types, unit: .instances, values: values)
                .jsonLine(kind: .trough, cycle: Double(cycle), simSeconds: Double(cycle) * interval)
        }.joined()
    }

    static func options(steadyStart: Double = 0) -> CulpritAnalysis.Options {
        CulpritAnalysis.Options(thresholds: CulpritThresholds.defaults, cycleIntervalSeconds: 180,
                                steadyStartSeconds: steadyStart, alpha: 0.01)
    }

    @Test func onlyTheGrowingTypeIsNamedWithItsSlope() throws {
        let path = NSTemporaryDirectory() + "culprits-\(UUID().uuidString).jsonl"
        try Data(Self.typeLines(cycles: 60).utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let series = CulpritLog.read(path)
        #expect(series.map(\.name).sorted() == ["flat", "grow", "noisy"])
        #expect(series.allSatisfy { $0.onCycles && $0.points.count == 60 })
        let findings = CulpritAnalysis.analyze(series, options: Self.options())
        #expect(findings.first?.name == "grow" && findings.first?.growing == true)
        #expect(findings.filter(\.growing).map(\.name) == ["grow"])
        #expect(findings.first?.shortText == "grow +1/cycle")
        #expect(CulpritJudge.reasonText(findings) == "growing: grow +1/cycle")
    }

    @Test func aNameMissingFromALaterReadingCountsAsZero() throws {
        let path = NSTemporaryDirectory() + "culprits-\(UUID().uuidString).jsonl"
        let lines = CulpritReading(source: .stacks, unit: .bytes, values: ["s1": 4096, "s2": 512])
            .jsonLine(kind: .trough, cycle: 0, simSeconds: 0)
            + CulpritReading(source: .stacks, unit: .bytes, values: ["s2": 1024], counts: ["s2": 2])
            .jsonLine(kind: .trough, cycle: 1, simSeconds: 180)
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let s1 = CulpritLog.read(path, frames: ["s1": ["leak_session_state"]]).first { $0.name == "s1" }
        #expect(s1?.points.map(\.y) == [4096, 0])
        #expect(s1?.frames == ["leak_session_state"])
    }

    @Test func theWarmUpIsLeftOutAndShortSeriesNeverGrow() {
        // Growth only during the warm-up, flat after: a cache filling, not a leak.
        let points = (0..<60).map { SeriesPoint(x: Double($0), t: Double($0) * 180, y: Double(min($0, 10))) }
        let filling = CulpritSeries(source: .types, name: "Cache", unit: .instances, points: points, onCycles: true)
        #expect(CulpritAnalysis.analyze([filling], options: Self.options(steadyStart: 11 * 180)).first?.growing == false)
        let short = CulpritSeries(source: .types, name: "Few", unit: .instances,
                                  points: Array(points.prefix(8)), onCycles: true)
        #expect(CulpritAnalysis.analyze([short], options: Self.options()).first?.growing == false)
    }

    /// Recorded from `tenantd --inject-leak global-cache` under `soak run` (40 troughs).
    @Test func aRecordedTenantdRunNamesTheGlobalCacheAlone() {
        let series = CulpritLog.read(Self.fixtures + "/tenantd-global-cache.jsonl")
        #expect(series.count == 11, "\(series.map(\.name))")
        let growing = CulpritAnalysis.growing(CulpritAnalysis.analyze(series, options: Self.options()))
        #expect(growing.map(\.name) == ["GlobalCacheEntry"])
        #expect(growing.first.map { abs(($0.slopePerCycle ?? 0) - 1) < 0.01 } == true)
    }

    @Test func readingsAreRecordedOnlyAtTheScheduledKind() {
        #expect(CulpritSchedule(troughs: true).reads(at: .trough))
        #expect(!CulpritSchedule(troughs: true).reads(at: .periodic))
        #expect(CulpritSchedule(troughs: false).reads(at: .periodic))
    }
}
