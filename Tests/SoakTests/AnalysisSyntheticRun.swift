import Foundation
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

/// A synthetic `samples.csv`: cycles of a fixed interval, periodic samples on a sawtooth within
/// each cycle, and one trough per cycle, with seeded noise so every test run sees the same data.
struct AnalysisSyntheticRun {
    var cycles = 200
    var intervalSeconds = 180.0
    var periodicPerCycle = 6
    var troughs = true
    /// Heap bytes at the trough of `cycle` (before noise).
    var heap: (Int) -> Double = { _ in 10 * 1_048_576 }
    /// Extra heap while tenants are loaded, at the peak of each cycle's sawtooth.
    var sawtoothBytes = 2 * 1_048_576.0
    /// Uniform noise half-width on heap values.
    var heapNoise = 16 * 1024.0
    var seed: UInt64 = 1

    /// The CSV text: the columns every process has (RSS, anonymous RSS, fds, threads) plus heap,
    /// in a shuffled order, with one column soak does not know.
    func csv() -> String {
        var generator = SplitMix64(seed: seed)
        func noise(_ width: Double) -> Double {
            (Double(generator.next() % 1_000_001) / 1_000_000 * 2 - 1) * width
        }
        var lines = ["cycle,kind,heap_in_use_bytes,sim_seconds,rss_bytes,fds,heap_free_bytes,note,rss_anon_bytes,threads"]
        for cycle in 0..<cycles {
            let start = Double(cycle) * intervalSeconds
            if troughs {
                let heapValue = (heap(cycle) + noise(heapNoise)).rounded()
                let rss = 4096 * ((60 * 1_048_576 + noise(64 * 1024)) / 4096).rounded()
                lines.append("\(cycle),trough,\(Int(heapValue)),\(start),\(Int(rss)),12,,x,\(Int(rss) - 20_971_520),8")
            }
            for step in 0..<periodicPerCycle {
                let phase = Double(step) / Double(periodicPerCycle)
                let t = start + phase * intervalSeconds + 1
                // Load at the start of the cycle, then a linear release until the next one.
                let extra = sawtoothBytes * (1 - phase)
                let heapValue = (heap(cycle) + extra + noise(heapNoise)).rounded()
                let rss = 4096 * ((62 * 1_048_576 + extra + noise(64 * 1024)) / 4096).rounded()
                lines.append("\(cycle),periodic,\(Int(heapValue)),\(t),\(Int(rss)),\(12 + step % 2),,x,\(Int(rss) - 20_971_520),8")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func table() throws -> SampleTable {
        try SampleTable(data: Data(csv().utf8), source: "synthetic.csv")
    }

    func options(warmup: Profile.Warmup = .fraction(0.1)) -> AnalysisOptions {
        AnalysisOptions(
            cycleIntervalSeconds: intervalSeconds, warmup: warmup, thresholds: Threshold.defaults, alpha: 0.01,
            memoryLimitBytes: 512 * 1_048_576)
    }

    func analysis(warmup: Profile.Warmup = .fraction(0.1)) throws -> LeakAnalysis {
        try LeakAnalysis.analyze(table(), options: options(warmup: warmup))
    }
}

extension LeakAnalysis {
    /// The result for `metric`, which the test expects to be present.
    subscript(metric: Metric) -> MetricAnalysis? { metrics.first { $0.metric == metric } }
}
