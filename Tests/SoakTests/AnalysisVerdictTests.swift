import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("Leak verdicts on synthetic runs")
struct AnalysisVerdictTests {
    @Test("a clean, flat, noisy run passes on every metric it has")
    func cleanRunPasses() throws {
        let analysis = try AnalysisSyntheticRun().analysis()
        #expect(analysis.metrics.map(\.metric) == [.rss, .rssAnon, .heapInUse, .fds, .threads])
        for metric in analysis.metrics {
            #expect(metric.verdict == .pass, "\(metric.metric): \(metric.reason)")
            #expect(metric.source == .troughs)
        }
    }

    @Test("a 1 KiB-per-cycle heap leak is a leak, with slopes per cycle and per simulated hour")
    func heapLeak() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + 1024 * Double($0) }
        let analysis = try run.analysis()
        let heap = try #require(analysis[.heapInUse])
        #expect(heap.verdict == .leak, "\(heap.reason)")
        #expect(heap.reason.hasPrefix("trend increasing (Hamed–Rao p="))
        #expect(heap.reason.contains("B/cycle > 64 B/cycle, growth"))
        let slope = try #require(heap.slopePerCycle)
        #expect(abs(slope - 1024) < 40)
        #expect(try #require(heap.lowSlopePerCycle) > 64)
        #expect(abs(try #require(heap.slopePerHour) - slope * 20) < 1e-6)
        #expect(abs(try #require(heap.projectedGrowth30Days) - slope * 20 * 24 * 30) < 1e-3)
        #expect(try #require(heap.timeToLimitSeconds) > 0)
        #expect(analysis[.rss]?.verdict == .pass)
        #expect(analysis.leaks.map(\.metric) == [.heapInUse])
    }

    @Test("a step early in the steady window, then flat, passes: one-off growth is not a leak")
    func stepThenFlat() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + ($0 >= 25 ? 3 * 1_048_576 : 0) }
        let heap = try #require(try run.analysis()[.heapInUse])
        #expect(heap.verdict == .pass, "\(heap.reason)")
    }

    @Test("a sawtooth without troughs, leaking slowly, is found through bucketed periodic samples")
    func sawtoothWithoutTroughs() throws {
        var run = AnalysisSyntheticRun()
        run.troughs = false
        run.cycles = 300
        run.periodicPerCycle = 18
        run.heap = { 10 * 1_048_576 + 1024 * Double($0) }
        let heap = try #require(try run.analysis()[.heapInUse])
        #expect(heap.source == .periodic)
        #expect(heap.n == 2000 && heap.bucketSize == 3)
        #expect(heap.verdict == .leak, "\(heap.reason)")
        #expect(abs(try #require(heap.slopePerCycle) - 1024) < 100)

        run.heap = { _ in 10 * 1_048_576 }
        let flat = try #require(try run.analysis()[.heapInUse])
        #expect(flat.verdict == .pass, "\(flat.reason)")
    }

    @Test("fewer than 12 points after warm-up is inconclusive, never a pass")
    func tooFewPoints() throws {
        var run = AnalysisSyntheticRun()
        run.cycles = 13
        run.periodicPerCycle = 0
        let short = try #require(try run.analysis()[.heapInUse])
        #expect(short.n == 11)
        #expect(short.verdict == .inconclusive)
        #expect(short.reason == "only 11 points after warm-up, 12 needed")

        run.cycles = 14
        #expect(try run.analysis()[.heapInUse]?.verdict == .pass)
    }

    @Test("thresholds come from the options: the same leak passes under a looser threshold")
    func thresholdsAreInputs() throws {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + 1024 * Double($0) }
        var options = run.options()
        options.thresholds[.heapInUse] = Threshold(perCycle: 2048, floor: 65_536)
        let loose = try #require(try LeakAnalysis.analyze(run.table(), options: options)[.heapInUse])
        #expect(loose.verdict == .pass)
        #expect(loose.reason.contains("≤ 2 KiB/cycle"))
        options.thresholds[.heapInUse] = Threshold(perCycle: 64, floor: 16 * 1_048_576)
        let highFloor = try #require(try LeakAnalysis.analyze(run.table(), options: options)[.heapInUse])
        #expect(highFloor.verdict == .pass)
        #expect(highFloor.reason.hasSuffix("≤ 16 MiB"))
    }
}

@Suite("Autocorrelation does not fake a leak")
struct AnalysisAutocorrelationTests {
    @Test("an AR(1) trough series without trend: plain Mann–Kendall says increasing, the verdict passes")
    func autocorrelatedTroughs() throws {
        let reference = try #require(try StatisticsReferenceVectors.mannKendall().first { $0.name.hasPrefix("ar1_") })
        var lines = ["sim_seconds,kind,cycle,heap_in_use_bytes"]
        for (cycle, value) in reference.values.enumerated() { lines.append("\(cycle * 180),trough,\(cycle),\(Int(value))") }
        let table = try SampleTable(data: Data((lines.joined(separator: "\n") + "\n").utf8))
        var options = AnalysisSyntheticRun().options(warmup: .fraction(0))
        options.thresholds = [.heapInUse: Threshold(perCycle: 0, floor: 0)]
        let heap = try #require(try LeakAnalysis.analyze(table, options: options)[.heapInUse])
        #expect(heap.mannKendall?.trend == .increasing)
        #expect(heap.hamedRao?.trend == .noTrend)
        #expect(heap.verdict == .pass, "\(heap.reason)")
    }
}
