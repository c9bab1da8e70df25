import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("Series selection: troughs first, warm-up, bucketing, bounds")
struct AnalysisSeriesSelectionTests {
    @Test("troughs are preferred, on a per-cycle axis, after a 10% warm-up")
    func troughsPreferred() throws {
        let heap = try #require(try AnalysisSyntheticRun().analysis()[.heapInUse])
        #expect(heap.source == .troughs)
        // The run spans 0...35,971 simulated seconds: the steady window starts at 3,597.1 s, so the
        // first trough kept is cycle 20 (t = 3,600 s).
        #expect(heap.points.first?.x == 20 && heap.points.first?.t == 3600)
        #expect(heap.warmupDropped == 20 && heap.n == 180)
        #expect(heap.windowCycles == 179)
        #expect(heap.windowStartSeconds == 3600 && heap.windowEndSeconds == 199 * 180)
    }

    @Test("a warm-up given as a duration drops that much simulated time")
    func durationWarmup() throws {
        let analysis = try AnalysisSyntheticRun().analysis(warmup: .duration(.seconds(2 * 3600)))
        #expect(analysis.steadyStartSeconds == 7200)
        let heap = try #require(analysis[.heapInUse])
        #expect(heap.points.first?.x == 40 && heap.warmupDropped == 40)
    }

    @Test("too few troughs: periodic samples on a time axis instead")
    func periodicFallback() throws {
        var lines = ["sim_seconds,kind,cycle,heap_in_use_bytes"]
        for i in 0..<100 { lines.append("\(i * 30),periodic,\(i / 6),\(1_000_000 + i % 6 * 1000)") }
        for cycle in 0..<5 { lines.append("\(cycle * 180 + 179),trough,\(cycle),1000000") }
        let table = try SampleTable(data: Data((lines.joined(separator: "\n") + "\n").utf8))
        var run = AnalysisSyntheticRun()
        run.intervalSeconds = 180
        let heap = try #require(try LeakAnalysis.analyze(table, options: run.options())[.heapInUse])
        #expect(heap.source == .periodic)
        #expect(heap.n == 90 && heap.warmupDropped == 10)
        #expect(heap.points.first?.x == 300 && heap.points.first?.t == 300)
        // x in seconds: one cycle is 180 x units, so per-cycle slopes are 180 times the fit's.
        let fit = try #require(heap.fit)
        #expect(heap.slopePerCycle == fit.slope * 180)
        #expect(heap.slopePerHour == fit.slope * 3600)
    }

    @Test("long series are bucketed by median: troughs to maxTroughPoints, charts to maxPoints")
    func bounds() throws {
        let run = AnalysisSyntheticRun()
        var options = run.options()
        options.maxTroughPoints = 50
        options.maxPoints = 40
        let heap = try #require(try LeakAnalysis.analyze(run.table(), options: options)[.heapInUse])
        #expect(heap.n == 50 && heap.bucketSize == 4)
        #expect(heap.points.count == 40)
        #expect(zip(heap.points, heap.points.dropFirst()).allSatisfy { $0.x < $1.x })
    }

    @Test("median buckets keep the typical level, not the spikes")
    func medianBuckets() {
        let points = (0..<9).map { SeriesPoint(x: Double($0), t: Double($0), y: $0 % 3 == 0 ? 1000 : 10) }
        let reduced = MedianBuckets.reduce(points, to: 3)
        #expect(reduced.points == [SeriesPoint(x: 1, t: 1, y: 10), SeriesPoint(x: 4, t: 4, y: 10),
                                   SeriesPoint(x: 7, t: 7, y: 10)])
        #expect(reduced.bucketSize == 3)
        #expect(MedianBuckets.reduce(points, to: 4).points.count == 4)
        #expect(MedianBuckets.reduce(points, to: 9).bucketSize == 1)
    }

    @Test("a metric whose column is absent or entirely empty is left out; no time axis is an error")
    func absentMetrics() throws {
        let analysis = try AnalysisSyntheticRun().analysis()
        #expect(analysis[.pss] == nil)
        let table = try SampleTable(data: Data("cycle,kind,pss_bytes,rss_bytes\n0,trough,,1\n1,trough,,2\n".utf8))
        let noTime = #expect(throws: SampleTableError.self) {
            try LeakAnalysis.analyze(table, options: AnalysisSyntheticRun().options())
        }
        #expect(noTime?.message == "samples.csv: no sim_seconds values: nothing to put on a time axis")
    }

    @Test("an exact leak projects 30 days and the time to the memory limit from the fitted line")
    func projections() throws {
        var run = AnalysisSyntheticRun()
        run.heapNoise = 0
        run.heap = { 10 * 1_048_576 + 1024 * Double($0) }
        let heap = try #require(try run.analysis()[.heapInUse])
        #expect(heap.verdict == .leak, "\(heap.reason)")
        #expect(heap.slopePerCycle == 1024 && heap.lowSlopePerCycle == 1024)
        let hourly: Double = 1024 * 20
        #expect(heap.slopePerHour == hourly)
        #expect(heap.projectedGrowth30Days == hourly * 24 * 30)
        let level: Double = 10 * 1_048_576 + 1024 * 199
        let limit: Double = 512 * 1_048_576
        #expect(heap.timeToLimitSeconds == (limit - level) / hourly * 3600)
        let plateau: Double = 10 * 1_048_576 + 1024 * 109.5
        #expect(heap.plateau == plateau)
        let peak: Double = 10 * 1_048_576 + 1024 * 199 + 2 * 1_048_576
        #expect(heap.peak == peak)
        #expect(try run.analysis()[.fds]?.timeToLimitSeconds == nil)
    }

    @Test("results encode to JSON with the documented keys")
    func jsonKeys() throws {
        let analysis = try AnalysisSyntheticRun().analysis()
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(analysis)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == ["metrics", "rows", "dropped_partial_last_line", "steady_start_s"])
        let metric = (object?["metrics"] as? [[String: Any]])?.first
        let expected: Set<String> = [
            "metric", "unit", "decides", "verdict", "reason", "source", "n", "bucket_size", "warmup_dropped", "window_start_s",
            "window_end_s", "window_cycles", "fit", "slope_per_cycle", "low_slope_per_cycle", "high_slope_per_cycle",
            "slope_per_hour", "low_slope_per_hour", "high_slope_per_hour", "growth", "mann_kendall", "hamed_rao",
            "plateau", "peak", "projected_growth_30d", "time_to_limit_s", "threshold_per_cycle", "threshold_floor",
            "alpha", "points",
        ]
        // Optional values are left out when absent: rss has no time to the limit (it does not grow).
        #expect(Set(metric?.keys ?? [:].keys) == expected.subtracting(["time_to_limit_s"]))
        #expect(metric?["metric"] as? String == "rss" && metric?["verdict"] as? String == "pass")
        let decoded = try JSONDecoder().decode(LeakAnalysis.self, from: JSONEncoder().encode(analysis))
        #expect(decoded == analysis)
    }
}
