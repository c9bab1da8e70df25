import FoundationEssentials
import Glibc
import PosixSupport

/// `soak report DIR` on run folders of growing length: its time and peak RSS, the figures the
/// streamed analysis is for (issue 16: ≤ 64 MiB and ≤ 1.2 s at 1M samples, 10M in under 15 s).
enum ReportBench {
    static func sizes(quick: Bool) -> [Int] { quick ? [100_000] : [100_000, 1_000_000, 10_000_000] }

    static func run(_ context: BenchContext, into result: inout BenchSuiteResult) throws {
        let sizes = context.analysisSizes ?? sizes(quick: context.quick)
        result.notes.append("`soak report DIR` on synthetic run folders (the samples above, a request per cycle, a "
            + "run.json that agrees): each repeat runs `soak bench --report-child DIR` in a fresh process, which "
            + "does what `soak report` does (judge, write summary.json, report.html, junit.xml, summary.md) and "
            + "then reads its own VmHWM. Load is /proc/loadavg's 1-minute figure just before the repeat.")
        var table = BenchTable(title: "soak report by samples", columns: [
            "samples", "CSV MiB", "report s", "peak RSS MiB", "load"])
        var figures: [Int: (time: RepeatStatistics, peak: RepeatStatistics)] = [:]
        for size in sizes {
            let folder = "\(context.work)/report-\(size)"
            try SyntheticRunFolder.write(rows: size, to: folder)
            let bytes = (try? FileSystem.status(of: "\(folder)/samples.csv")).map { Int($0.st_size) } ?? 0
            var runs: [[String: Double]] = []
            var loads: [Double] = []
            // Ten million rows take a while to judge even streamed: one repeat is enough there.
            for index in 0..<(size >= 10_000_000 ? 1 : context.repeats) {
                loads.append(loadAverage())
                let logs = "\(context.work)/report-\(size)-\(index)"
                let completion = try BenchProcess.run(
                    context.soakPath, ["bench", "--report-child", folder], logs: logs, timeout: .seconds(900))
                let output = (try? String(contentsOfFile: "\(logs).stdout", encoding: .utf8)) ?? ""
                guard completion.status == 0, let last = output.split(separator: "\n").last,
                      last.hasPrefix("report_s=") else {
                    throw BenchError("report child for \(size) rows failed: see \(logs).stderr")
                }
                runs.append(AnalysisChild.parse(String(last)))
            }
            let values = { (key: String) in runs.map { $0[key] ?? .nan } }
            let time = result.measure("report.\(size).total_s", unit: "s", values("report_s"))
            let peak = result.measure("report.\(size).hwm_bytes", unit: "bytes", values("hwm_bytes"))
            figures[size] = (time, peak)
            table.rows.append([
                "\(size)", BenchFormat.fixed(Double(bytes) / 1_048_576, decimals: 1), time.text(BenchFormat.number),
                peak.text { BenchFormat.number($0 / 1_048_576) },
                loads.map { BenchFormat.fixed($0, decimals: 2) }.joined(separator: ", ")])
            try? FileManager.default.removeItem(atPath: folder)
        }
        result.tables.append(table)
        if let (time, peak) = figures[1_000_000] {
            let met = peak.median <= 64 * 1_048_576 && time.median <= 1.2
            result.bars.append(BenchBar(
                target: "soak report on 1M samples: peak RSS ≤ 64 MiB, ≤ 1.2 s",
                measured: "\(peak.text { BenchFormat.number($0 / 1_048_576) }) MiB, \(time.text(BenchFormat.number)) s",
                met: met, reason: "median over repeats"))
        }
        if let (time, _) = figures[10_000_000] {
            result.bars.append(BenchBar(
                target: "soak report on 10M samples in under 15 s", measured: "\(time.text(BenchFormat.number)) s",
                met: time.median < 15, reason: "one run"))
        }
    }

    /// The 1-minute load average: the machine is shared, and a figure means little without it.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first else { return .nan }
        return Double(first) ?? .nan
    }
}

/// The hidden `soak bench --report-child DIR` mode's figures, printed after the report is written.
package enum ReportChild {
    /// `report_s=… hwm_bytes=…` for a report that started at `started` (monotonic seconds).
    package static func figures(started: Double) -> String {
        let elapsed = BenchProcess.monotonicSeconds() - started
        let hwm = BenchProcess.statusBytes(pid: getpid(), field: "VmHWM") ?? .nan
        return "report_s=\(elapsed) hwm_bytes=\(hwm)"
    }

    /// Now, on the monotonic clock.
    package static func now() -> Double { BenchProcess.monotonicSeconds() }
}
