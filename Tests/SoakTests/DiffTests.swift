import Foundation
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// `soak diff`'s rules, tolerances, inputs and baselines, on synthetic runs judged in-process.
@Suite struct DiffTests {
    func summary(
        profile: String = "synthetic", heap: @escaping (Int) -> Double = { _ in 10 * 1_048_576 }, seed: UInt64 = 1,
        badCycle: Int? = nil, latencyMilliseconds: Double = 0.5
    ) throws -> RunSummary {
        var run = AnalysisSyntheticRun()
        run.heap = heap
        run.seed = seed
        let folder = try RunFolderFixture.make(
            profile: profile, status: .completed, run: run, badCycle: badCycle,
            laterMilliseconds: latencyMilliseconds)
        return try RunJudge.judge(folder).summary
    }

    /// A metric analysis with only what the rules read.
    func analysis(
        _ metric: Metric = .heapInUse, plateau: Double = 1_048_576, slope: Double = 0, low: Double = -10,
        high: Double = 10, verdict: LeakVerdict = .pass, windowHours: Double = 100
    ) -> MetricAnalysis {
        MetricAnalysis(
            metric: metric, unit: metric.unit, verdict: verdict, reason: "test", source: .troughs, n: 100,
            bucketSize: 1, warmupDropped: 0, windowStartSeconds: 0, windowEndSeconds: windowHours * 3600,
            windowCycles: 100, slopePerHour: slope, lowSlopePerHour: low, highSlopePerHour: high, plateau: plateau,
            peak: plateau, thresholdPerCycle: 64, thresholdFloor: 65_536, alpha: 0.01, points: [])
    }

    func status(_ comparison: RunComparison, _ label: String) -> DiffStatus? {
        comparison.rows.first { $0.label == label }?.status
    }

    @Test func twoCleanRunsHaveNoRegression() throws {
        let comparison = RunComparison(base: try summary(seed: 1), candidate: try summary(seed: 2))
        #expect(!comparison.hasRegression, "\(comparison.regressionDetails)")
        #expect(comparison.rows.allSatisfy { $0.status != .regression && $0.status != .warning })
        #expect(status(comparison, "heap_in_use plateau") == .ok)
        #expect(status(comparison, "cold p99") == .ok)
        #expect(status(comparison, "integrity") == .ok)
        #expect(RunComparison.mismatches(base: comparison.base, candidate: comparison.candidate).isEmpty)
    }

    @Test func leakingHeapIsARegressionNamingHeapInUse() throws {
        let base = try summary()
        let candidate = try summary(heap: { 10 * 1_048_576 + Double($0) * 16 * 1024 }, seed: 2)
        let comparison = RunComparison(base: base, candidate: candidate)
        #expect(comparison.hasRegression)
        let labels = comparison.regressions.map(\.label)
        #expect(labels.contains("heap_in_use plateau"), "\(labels)")
        #expect(labels.contains("heap_in_use slope"), "\(labels)")
        #expect(labels.contains("heap_in_use verdict"), "\(labels)")
        #expect(labels.contains("run verdict"), "\(labels)")
        #expect(!labels.contains { $0.hasPrefix("rss") }, "\(labels)")
        let text = DiffRendering.text(comparison, basePath: "a", candidatePath: "b")
        #expect(text.contains("diff: REGRESSION"), "\(text)")
        #expect(text.contains("regression: heap_in_use now leaks"), "\(text)")
        // The other way round is an improvement, not a regression.
        let reverse = RunComparison(base: candidate, candidate: base)
        #expect(!reverse.hasRegression, "\(reverse.regressionDetails)")
        #expect(status(reverse, "heap_in_use verdict") == .improved)
    }

    @Test func slopeNeedsBothDisjointIntervalsAndMaterialGrowth() {
        let tolerance = MetricTolerance(amount: 262_144)
        let base = analysis(slope: 0, low: -100, high: 100)
        // Steeper by 2 KiB/h over 100 h (200 KiB extra), intervals apart, no leak verdict: within 256 KiB.
        let small = analysis(slope: 2048, low: 1900, high: 2200)
        #expect(DiffRules.slope(.heapInUse, base, small, tolerance).status == .ok)
        // 4 KiB/h over 100 h is 400 KiB extra: material and significant.
        let large = analysis(slope: 4096, low: 3900, high: 4300)
        #expect(DiffRules.slope(.heapInUse, base, large, tolerance).status == .regression)
        // Same large slope but an interval reaching into the base's: could be noise.
        let noisy = analysis(slope: 4096, low: 50, high: 8000)
        #expect(DiffRules.slope(.heapInUse, base, noisy, tolerance).status == .ok)
        // A candidate the leak analysis calls a leak is material whatever the tolerance.
        let leaking = analysis(slope: 2048, low: 1900, high: 2200, verdict: .leak)
        let row = DiffRules.slope(.heapInUse, base, leaking, tolerance)
        #expect(row.status == .regression)
        #expect(row.detail.contains("the candidate leaks"), "\(row.detail)")
        #expect(DiffRules.slope(.heapInUse, large, base, tolerance).status == .improved)
        #expect(DiffRules.slope(.heapInUse, base, analysis(slope: 0), tolerance).status == .ok)
    }

    @Test func plateauAndPeakUseTheLargerOfFractionAndAmount() {
        let tolerance = MetricTolerance(fraction: 0.10, amount: 262_144)
        let level = { (base: Double, candidate: Double) in
            DiffRules.level("heap_in_use plateau", .heapInUse, base, candidate, tolerance, .bytes).status
        }
        // 10% of 10 MiB is 1 MiB, larger than 256 KiB.
        #expect(level(10 * 1_048_576, 11 * 1_048_576) == .ok)
        #expect(level(10 * 1_048_576, 11 * 1_048_576 + 1) == .regression)
        // 10% of 128 KiB is 12.8 KiB: the 256 KiB amount applies.
        #expect(level(131_072, 131_072 + 262_144) == .ok)
        #expect(level(131_072, 131_072 + 262_145) == .regression)
        #expect(level(12 * 1_048_576, 10 * 1_048_576) == .improved)
        #expect(DiffRules.level("x", .heapInUse, nil, 5, tolerance, .bytes).status == .notCompared)
    }

    @Test func latencyAllowsAFractionPlusMilliseconds() {
        let tolerance = DiffTolerances.defaults.latency
        #expect(DiffRules.latency("cold p99", 10, 20, tolerance).status == .ok)
        #expect(DiffRules.latency("cold p99", 10, 20.5, tolerance).status == .regression)
        #expect(DiffRules.latency("warm p99", 0.5, 5.7, tolerance).status == .ok)
        #expect(DiffRules.latency("cold p99", 40, 10, tolerance).status == .improved)
        #expect(DiffRules.latency("warm p50", nil, 1, tolerance).status == .notCompared)
    }

    @Test func slowerColdRequestsAreARegression() throws {
        let comparison = RunComparison(base: try summary(), candidate: try summary(latencyMilliseconds: 8))
        #expect(status(comparison, "cold p99") == .regression)
        #expect(comparison.regressionDetails.contains { $0.contains("cold p99 latency rose") })
    }

    @Test func anyIntegrityDropIsARegression() throws {
        let comparison = RunComparison(base: try summary(), candidate: try summary(badCycle: 57))
        #expect(status(comparison, "integrity") == .regression)
        #expect(status(comparison, "run verdict") == .regression)
    }

    @Test func harnessGrowthWarnsButDoesNotFail() throws {
        var base = try summary()
        var candidate = base
        base.analysis.metrics = [analysis(.harnessRSS, plateau: 20e6)]
        candidate.analysis.metrics = [analysis(.harnessRSS, plateau: 40e6)]
        let comparison = RunComparison(base: base, candidate: candidate)
        #expect(!comparison.hasRegression, "\(comparison.regressionDetails)")
        #expect(status(comparison, "harness_rss plateau") == .warning)
        #expect(DiffRendering.conclusion(comparison).contains { $0.hasPrefix("warning: harness_rss plateau rose") })
    }

    @Test func everyMetricHasADefaultTolerance() {
        for metric in Metric.allCases {
            #expect(DiffTolerances.defaults.metrics[metric] != nil, "\(metric.rawValue)")
        }
    }

    @Test func tolerancesParseAndLayer() throws {
        var tolerances = DiffTolerances.defaults
        tolerances.apply(profile: [.rss: .relative(0.2), .fds: .absolute(4)])
        try tolerances.apply(commandLine: ["rss=5%,heap_in_use=64KiB", "fds=2", "latency=20%"])
        #expect(tolerances.tolerance(for: .rss) == MetricTolerance(fraction: 0.05))
        #expect(tolerances.tolerance(for: .heapInUse) == MetricTolerance(amount: 65_536))
        #expect(tolerances.tolerance(for: .fds) == MetricTolerance(amount: 2))
        #expect(tolerances.tolerance(for: .threads) == MetricTolerance(amount: 1))
        #expect(tolerances.latency == LatencyTolerance(fraction: 0.2, milliseconds: 5))
        try tolerances.apply(commandLine: ["latency=10%+2ms"])
        #expect(tolerances.latency == LatencyTolerance(fraction: 0.1, milliseconds: 2))
    }

    @Test(arguments: [
        ("Heap-used=5%", "unknown metric \"Heap-used\""),
        ("rss", "expected METRIC=PERCENT or METRIC=AMOUNT"),
        ("rss=", "expected METRIC=PERCENT or METRIC=AMOUNT"),
        ("heap_in_use=lots", "heap_in_use=64KiB, found \"lots\""),
        ("fds=-1", "like fds=2, found \"-1\""),
        ("rss=-5%", "at least 0%"),
        ("rss=5%,", "found \"\""),
        ("latency=fast", "like 50%+5ms"),
    ])
    func badTolerancesAreRefusedWithWhatIsExpected(text: String, message: String) {
        var tolerances = DiffTolerances.defaults
        do {
            try tolerances.apply(commandLine: [text])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func differentProfilesAreNotComparable() throws {
        let base = try summary(profile: "service-lazy-loading")
        let candidate = try summary(profile: "tenant-lazy-loading")
        let problems = RunComparison.mismatches(base: base, candidate: candidate)
        #expect(problems.count == 1)
        #expect(problems[0].contains("\"service-lazy-loading\"") && problems[0].contains("\"tenant-lazy-loading\""))
        // Forced, the comparison still runs.
        #expect(!RunComparison(base: base, candidate: candidate).rows.isEmpty)
    }
}
