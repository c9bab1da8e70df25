import FoundationEssentials
import Glibc
import PosixSupport
import SoakAnalysis

/// The hidden `soak bench --analysis-child FILE` mode: reads and judges one samples.csv in a fresh
/// process, so its memory high-water mark (`VmHWM`) belongs to that analysis alone.
package enum AnalysisChild {
    /// The figures as one line: `read_s=… analyze_s=… hwm_bytes=… start_rss_bytes=… metrics=…`.
    package static func run(file: String) throws -> String {
        let startRSS = BenchProcess.statusBytes(pid: getpid(), field: "VmRSS") ?? .nan
        let started = BenchProcess.monotonicSeconds()
        // The options RunJudge falls back to without a profile: the seeds' 3-minute cycle.
        let options = AnalysisOptions(
            cycleIntervalSeconds: 180, warmup: .fraction(0.1), thresholds: Threshold.defaults, alpha: 0.01)
        var stream = try SampleStream(.file(file), options: options, charting: options.metrics.map(\.columnName))
        let read = BenchProcess.monotonicSeconds()
        let analysis = try stream.analyze()
        let analysed = BenchProcess.monotonicSeconds()
        let hwm = BenchProcess.statusBytes(pid: getpid(), field: "VmHWM") ?? .nan
        return "read_s=\(read - started) analyze_s=\(analysed - read) hwm_bytes=\(hwm) start_rss_bytes=\(startRSS) "
            + "metrics=\(analysis.metrics.count) rows=\(analysis.rows)"
    }

    /// Parses the child's line into its named numbers.
    static func parse(_ line: String) -> [String: Double] {
        var fields: [String: Double] = [:]
        for part in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, let value = Double(pair[1]) { fields[String(pair[0])] = value }
        }
        return fields
    }
}

/// Writes a synthetic samples.csv in the harness's column layout: a real-time run sampled at
/// 1 Hz with a trough every 180 samples (a 3-minute cycle), flat memory with noise.
enum SyntheticSamples {
    static func write(rows: Int, to path: String) throws {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        } catch {
            throw BenchError("bench: cannot write \(path): \(error.message)")
        }
        defer { try? descriptor.close() }
        func flush(_ text: inout String) throws {
            do {
                try descriptor.writeAll(text)
            } catch {
                throw BenchError("bench: cannot write \(path): \(error.message)")
            }
            text = ""
        }
        var chunk = SampleColumn.header + "\n"
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        for row in 0..<rows {
            // xorshift: the same file every run, without Foundation's random.
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            let noise = Int(random % 131_072)
            let rss = 52_428_800 + noise
            let heap = 20_971_520 + noise / 2
            let kind = row % 180 == 179 ? "trough" : "periodic"
            chunk += "\(row),\(BenchFormat.fixed(Double(row) / 7200, decimals: 4)),\(kind),\(row / 180),"
                + "\(rss),\(rss - 8_388_608),\(rss + 1_048_576),\(rss - 2_097_152),\(rss - 4_194_304),8,12,"
                + "\(BenchFormat.fixed(Double(row) * 0.001, decimals: 3)),\(row * 3),0,1,"
                + "\(heap),\(4_194_304 - noise / 4),\(heap + 8_388_608),1048576,\(20 + row % 3),1,\(row % 2),"
                + "\(1 - row % 2),\(8_388_608 + noise / 8)\n"
            if chunk.utf8.count > 1 << 20 { try flush(&chunk) }
        }
        try flush(&chunk)
    }
}
