import Foundation
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// The JVM's class histogram: parsed from a recorded `jcmd GC.class_histogram` (OpenJDK 17, the
/// Java acceptance target after 300 requests), and judged across troughs.
@Suite struct ClassHistogramTests {
    static let recorded = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/jvm/class-histogram.txt").path

    @Test func aRecordedHistogramParsesWithoutModulesOrTotals() throws {
        let histogram = ClassHistogram(parsing: try String(contentsOfFile: Self.recorded, encoding: .utf8))
        #expect(histogram.rows.count == 37)
        #expect(histogram.rows.first == ClassHistogram.Row(className: "[B", instances: 21289, bytes: 1_382_560))
        #expect(histogram.rows.contains(ClassHistogram.Row(className: "Main$SessionRecord", instances: 300, bytes: 81600)))
        let reading = histogram.reading(limit: 5)
        #expect(reading.source == .classes && reading.values.count == 5 && reading.values["[B"] == 1_382_560)
        #expect(reading.counts["java.lang.String"] == 20778)
    }

    @Test func theClassWhoseBytesGrowIsNamedFirst() throws {
        let base = ClassHistogram(parsing: try String(contentsOfFile: Self.recorded, encoding: .utf8))
        // Troughs every 2nd cycle: the records grow 4,352 B per cycle, [B wobbles, the rest stay.
        let series = (0..<20).map { index -> (Double, CulpritReading) in
            var histogram = base
            for row in histogram.rows.indices {
                if histogram.rows[row].className == "Main$SessionRecord" {
                    histogram.rows[row].bytes += Double(index * 2) * 4352
                } else if histogram.rows[row].className == "[B" {
                    histogram.rows[row].bytes += Double((index * 7) % 5) * 4096
                }
            }
            return (Double(index * 2), histogram.reading())
        }
        let path = NSTemporaryDirectory() + "classes-\(UUID().uuidString).jsonl"
        try Data(series.map { $0.1.jsonLine(kind: .trough, cycle: $0.0, simSeconds: $0.0 * 1.5) }.joined().utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = CulpritAnalysis.Options(thresholds: CulpritThresholds.defaults, cycleIntervalSeconds: 1.5,
                                              steadyStartSeconds: 0, alpha: 0.01)
        let growing = CulpritAnalysis.growing(CulpritAnalysis.analyze(CulpritLog.read(path), options: options))
        #expect(growing.map(\.name) == ["Main$SessionRecord"])
        #expect(growing.first.map { abs(($0.slopePerCycle ?? 0) - 4352) < 1 } == true, "\(growing.map(\.slopePerCycle))")
    }

    @Test func jvmSettingsTakeAHistogramAndItsSpacing() throws {
        let profile = try MetricSourceProfileTests.load(MetricSourceProfileTests.command(
            #", "jvm": {"classHistogram": true, "histogramEvery": 3}"#))
        guard case .command(let command) = profile.target else { return #expect(Bool(false)) }
        #expect(command.jvm == Profile.JVMSettings(classHistogram: true, histogramEvery: 3))
        let zero = ProfileTesting.errors(MetricSourceProfileTests.command(
            #", "jvm": {"classHistogram": true, "histogramEvery": 0}"#))
        #expect(zero.first?.contains("target.command.jvm.histogramEvery") == true, "\(zero)")
    }
}
