import FoundationEssentials
import Glibc
import SoakRun

/// The suites `soak bench` knows, in the order they run.
package enum BenchSuiteName: String, CaseIterable, Sendable {
    case sampling, acceleration, detection, analysis, runtime, attribution, contention

    /// Suite names from the command line: none means all; duplicates run once, in the canonical
    /// order; an unknown name is a usage error naming the known ones.
    package static func parse(_ names: [String]) throws(BenchError) -> [BenchSuiteName] {
        var chosen = Set<BenchSuiteName>()
        for name in names {
            guard let suite = BenchSuiteName(rawValue: name) else {
                throw BenchError("bench: unknown suite \"\(name)\"; expected one or more of "
                    + allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosen.insert(suite)
        }
        return chosen.isEmpty ? allCases : allCases.filter(chosen.contains)
    }
}

/// What `soak bench` was asked to do.
package struct BenchOptions: Sendable {
    package var suites: [BenchSuiteName]
    /// Parent of the bench folder (default `reports`).
    package var outputParent = "reports"
    /// Repeats per figure; nil: 3, or 1 with `--quick`.
    package var repeats: Int?
    /// Shorter runs and fewer sizes: for checking the bench itself, not for the bars.
    package var quick = false
    /// Rows of the analysis suite's synthetic runs instead of its defaults (for a quick smoke test).
    package var analysisSizes: [Int]?
    /// The parts of the runtime suite to run; nil: all of them.
    package var runtimeParts: [RuntimeBenchPart]?
    package var commandLine: [String] = []

    package init(suites: [BenchSuiteName]) { self.suites = suites }
}

/// Runs the chosen suites and writes `bench.md`, `bench.json` and the charts into
/// `<out>/bench-<UTC>/`, rewriting them after every suite so a stopped bench keeps what it has.
package enum BenchRunner {
    /// Runs the bench; returns the report and its folder.
    package static func run(_ options: BenchOptions, log: @escaping (String) -> Void) throws -> (BenchReport, String) {
        let date = Date()
        let folder = try RunFolder.create(under: options.outputParent, profile: "bench", at: date).path
        let repeats = max(1, options.repeats ?? (options.quick ? 1 : 3))
        let context = try BenchContext(
            folder: folder, repeats: repeats, quick: options.quick, analysisSizes: options.analysisSizes,
            runtimeParts: options.runtimeParts ?? RuntimeBenchPart.allCases, log: log)
        defer { try? FileManager.default.removeItem(atPath: context.work) }
        var report = BenchReport(
            started: RunFolder.stamp(date), commandLine: ["soak"] + options.commandLine,
            soakVersion: SoakVersion.current, kernel: SoakVersion.kernel,
            cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            repeats: repeats, quick: options.quick)
        for suite in options.suites {
            log("bench: \(suite.rawValue) …")
            let started = BenchProcess.monotonicSeconds()
            var result: BenchSuiteResult
            do {
                result = try run(suite, context)
            } catch {
                result = BenchSuiteResult(name: suite.rawValue)
                result.notes.append("FAILED: \(error)")
                log("bench: \(suite.rawValue) failed: \(error)")
            }
            result.wallSeconds = BenchProcess.monotonicSeconds() - started
            report.suites.append(result)
            try write(report, to: folder)
            for bar in result.bars { log("  \(bar.status): \(bar.target): \(bar.measured)") }
        }
        return (report, folder)
    }

    private static func run(_ suite: BenchSuiteName, _ context: BenchContext) throws -> BenchSuiteResult {
        switch suite {
        case .sampling: try SamplingBench.run(context)
        case .acceleration: try AccelerationBench.run(context)
        case .detection: try DetectionBench.run(context)
        case .analysis: try AnalysisBench.run(context)
        case .attribution: try AttributionBench.run(context)
        case .runtime: try RuntimeBench.run(context)
        case .contention: try ContentionBench.run(context)
        }
    }

    /// Writes `bench.json`, `bench.md` and every chart's SVG.
    package static func write(_ report: BenchReport, to folder: String) throws {
        try RunFileJSON.write(report, to: "\(folder)/bench.json")
        try Data(BenchMarkdown.render(report).utf8).write(to: URL(fileURLWithPath: "\(folder)/bench.md"))
        for chart in report.suites.flatMap(\.charts) {
            try Data(chart.svg().utf8).write(to: URL(fileURLWithPath: "\(folder)/\(chart.file)"))
        }
    }
}
