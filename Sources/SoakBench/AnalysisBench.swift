import FoundationEssentials
import Glibc
import PosixSupport
import SoakAnalysis
import SoakRun

/// `soak bench analysis`: time and memory to read and judge synthetic runs of growing length.
enum AnalysisBench {
    /// Rows per size; a hidden `--analysis-sizes` replaces them (the end-to-end smoke test).
    static func sizes(quick: Bool) -> [Int] { quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000] }

    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "analysis")
        let sizes = context.analysisSizes ?? sizes(quick: context.quick)
        result.notes.append("Synthetic samples.csv files in the real column layout (SampleColumn), 1 Hz periodic "
            + "samples with a trough every 180 (a 3-minute cycle), flat memory with noise. Each repeat runs "
            + "`soak bench --analysis-child FILE` in a fresh process: the judge's streamed reading "
            + "(SampleStream: read is the first pass over the file, analyse the fits and any later pass) with "
            + "RunJudge's fallback options; peak memory is that process's VmHWM.")
        var table = BenchTable(title: "Analysis cost by samples", columns: [
            "samples", "CSV MiB", "read s", "analyse s", "total s", "µs per sample", "peak RSS MiB", "Δ RSS MiB"])
        var time: [BenchChart.Point] = [], memory: [BenchChart.Point] = []
        // The bar is for 1M samples: judged on that size when it ran, not on the largest (10M
        // judged against 1M's 2 s read as a miss).
        var judged: (Int, RepeatStatistics)?
        for size in sizes {
            let file = "\(context.work)/analysis-\(size).csv"
            try SyntheticSamples.write(rows: size, to: file)
            let bytes = (try? FileSystem.status(of: file)).map { Int($0.st_size) } ?? 0
            var runs: [[String: Double]] = []
            for index in 0..<context.repeats {
                let logs = "\(context.work)/analysis-\(size)-\(index)"
                let completion = try BenchProcess.run(
                    context.soakPath, ["bench", "--analysis-child", file], logs: logs, timeout: .seconds(600))
                let line = (try? String(contentsOfFile: "\(logs).stdout", encoding: .utf8)) ?? ""
                guard completion.status == 0 else {
                    throw BenchError("analysis child for \(size) rows failed: see \(logs).stderr")
                }
                runs.append(AnalysisChild.parse(line))
            }
            let values = { (key: String) in runs.map { $0[key] ?? .nan } }
            let read = result.measure("analysis.\(size).read_s", unit: "s", values("read_s"))
            let analyse = result.measure("analysis.\(size).analyze_s", unit: "s", values("analyze_s"))
            let total = result.measure("analysis.\(size).total_s", unit: "s",
                                       zip(values("read_s"), values("analyze_s")).map(+))
            let peak = result.measure("analysis.\(size).hwm_bytes", unit: "bytes", values("hwm_bytes"))
            let delta = result.measure("analysis.\(size).hwm_delta_bytes", unit: "bytes",
                                       zip(values("hwm_bytes"), values("start_rss_bytes")).map(-))
            let mib = { (value: Double) in BenchFormat.number(value / 1_048_576) }
            table.rows.append([
                "\(size)", BenchFormat.fixed(Double(bytes) / 1_048_576, decimals: 1), read.text(BenchFormat.number),
                analyse.text(BenchFormat.number), total.text(BenchFormat.number),
                BenchFormat.number(total.median / Double(size) * 1e6), peak.text(mib), delta.text(mib)])
            time.append(BenchChart.Point(x: Double(size), total))
            memory.append(BenchChart.Point(x: Double(size), RepeatStatistics(peak.values.map { $0 / 1_048_576 })))
            if size == 1_000_000 || (size < 1_000_000 && (judged?.0 ?? 0) < size) { judged = (size, total) }
            try? FileManager.default.removeItem(atPath: file)
        }
        result.tables.append(table)
        PairwiseBench.run(context, into: &result)
        try ReportBench.run(context, into: &result)
        result.charts.append(BenchChart(
            file: "analysis-time.svg", title: "Read + analyse time against samples", xLabel: "samples",
            yLabel: "seconds", logX: true, logY: true,
            series: [BenchChart.Series(name: "read + analyse", points: time)]))
        result.charts.append(BenchChart(
            file: "analysis-memory.svg", title: "Peak RSS of the analysis against samples", xLabel: "samples",
            yLabel: "MiB", logX: true, series: [BenchChart.Series(name: "VmHWM", points: memory)]))
        if let (size, total) = judged {
            let met: Bool? = size == 1_000_000 ? total.median < 2 : nil
            result.bars.append(BenchBar(
                target: "analysis: 1M samples read and analysed in under 2 s",
                measured: "\(size) samples: \(total.text(BenchFormat.number)) s", met: met,
                reason: met == nil ? "the largest size run below 1M was \(size) (use the full bench)" : "median over repeats"))
        } else if let smallest = sizes.min() {
            result.bars.append(BenchBar(
                target: "analysis: 1M samples read and analysed in under 2 s",
                measured: "not run at 1M (smallest size \(smallest))", met: nil,
                reason: "add 1000000 to --analysis-sizes"))
        }
        return result
    }
}
