import FoundationEssentials
import Glibc
import PosixSupport
import SoakRun

/// One measurement window of the sampling suite: every sampler watches the same process at the
/// same rate at the same time, each in a process of its own, and is measured from outside.
///
/// Method: after a warm-up (Python start-up and imports are not sampling), the bench reads each
/// tool's CPU time (`/proc/PID/task/*/schedstat`) and the lines of its log, waits the window, and
/// reads both again. CPU per sample is the CPU difference over the line difference; every tool
/// flushes one line per sample.
struct SamplingWindow {
    /// A sampler under test.
    struct Tool {
        var name: String
        var executable: String
        var arguments: [String]
        var log: String
        /// Reads the log into (unix seconds, RSS bytes) pairs; nil when it has no usable timestamps.
        var readings: (String, Double) -> [(Double, Double)]
    }

    /// What one tool did during the window.
    struct Outcome {
        var name: String
        var cpuMicrosPerSample: Double
        var samples: Int
        var rssBytes: Double
        var readings: [(Double, Double)]
    }

    let warmup: Double
    let seconds: Double

    /// Runs the tools together and returns one outcome per tool that sampled.
    func run(_ tools: [Tool], log: (String) -> Void) throws -> [Outcome] {
        var started: [(Tool, TargetProcess, Double)] = []
        defer {
            for (_, process, _) in started where process.exit == nil { _ = process.terminate(grace: .seconds(1)) }
        }
        for tool in tools {
            let process = try BenchProcess.start(tool.executable, tool.arguments, logs: tool.log + ".out")
            started.append((tool, process, BenchProcess.unixSeconds()))
        }
        // psrecord writes elapsed seconds from its own start, which is when it opens its log:
        // note when each log appears to turn those into unix times.
        var appeared: [String: Double] = [:]
        let clock = SystemRunClock.polling
        _ = clock.poll(every: .milliseconds(2), for: .seconds(warmup)) { () -> Bool? in
            for (tool, _, _) in started where appeared[tool.name] == nil && FileSystem.exists(tool.log) {
                appeared[tool.name] = BenchProcess.unixSeconds()
            }
            return nil
        }
        let first = started.map { (BenchProcess.cpuSeconds(pid: $0.1.pid), BenchProcess.lineCount($0.0.log)) }
        let markStart = BenchProcess.unixSeconds()
        clock.sleep(until: clock.now + .seconds(seconds))
        let markEnd = BenchProcess.unixSeconds()
        var outcomes: [Outcome] = []
        for (index, (tool, process, _)) in started.enumerated() {
            let cpu = BenchProcess.cpuSeconds(pid: process.pid)
            let lines = BenchProcess.lineCount(tool.log)
            let rss = BenchProcess.statusBytes(pid: process.pid, field: "VmRSS") ?? .nan
            guard let cpuBefore = first[index].0, let cpu, lines > first[index].1, process.exit == nil else {
                log("sampling: \(tool.name) did not sample through the window (see \(tool.log).out.stderr)")
                continue
            }
            let samples = lines - first[index].1
            let origin = appeared[tool.name] ?? markStart
            let readings = tool.readings(tool.log, origin).filter { $0.0 >= markStart && $0.0 <= markEnd }
            outcomes.append(Outcome(
                name: tool.name, cpuMicrosPerSample: (cpu - cpuBefore) / Double(samples) * 1e6, samples: samples,
                rssBytes: rss, readings: readings))
        }
        return outcomes
    }

    /// Our child's log: "UNIX RSS_BYTES".
    static func ourReadings(_ path: String, _: Double) -> [(Double, Double)] {
        lines(path).compactMap { fields in
            guard fields.count == 2, let t = Double(fields[0]), let rss = Double(fields[1]) else { return nil }
            return (t, rss)
        }
    }

    /// psrecord's plain log: "ELAPSED CPU% REAL_MB VIRTUAL_MB", MB being MiB (psutil bytes / 1024²).
    static func psrecordReadings(_ path: String, _ origin: Double) -> [(Double, Double)] {
        lines(path).compactMap { fields in
            guard fields.count >= 3, let t = Double(fields[0]), let mib = Double(fields[2]) else { return nil }
            return (origin + t, mib * 1_048_576)
        }
    }

    /// mprof's .dat: "MEM MIB UNIX" (psutil RSS / 2²⁰).
    static func mprofReadings(_ path: String, _: Double) -> [(Double, Double)] {
        lines(path).compactMap { fields in
            guard fields.count == 3, fields[0] == "MEM", let mib = Double(fields[1]), let t = Double(fields[2]) else {
                return nil
            }
            return (t, mib * 1_048_576)
        }
    }

    private static func lines(_ path: String) -> [[Substring]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
    }
}
