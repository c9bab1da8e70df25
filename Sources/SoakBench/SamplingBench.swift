import FoundationEssentials
import Glibc
import PosixSupport
import SoakRun

/// `soak bench sampling`: what a sample costs in CPU and memory, ours against the C floor
/// (`ci/bench/proc-floor.c`), psrecord and mprof, and whether their RSS readings agree.
enum SamplingBench {
    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "sampling")
        let registry = try context.scratch("sampling-registry")
        // A 4 MiB service deployed and ghosted five times a second keeps the target busy.
        try context.seed(tenants: 1, artifacts: 1, payloadKB: 4096, into: registry)
        let (target, port, _) = try context.startTenantd(
            registry: registry, ["--artifact-idle", "100ms", "--sweep-every", "50ms"],
            logs: "\(context.work)/sampling-tenantd")
        defer { _ = target.terminate(grace: .seconds(2)) }
        let load = BackgroundRequests(port: port, path: "/t/t1/a1.service", every: 0.2)
        try load.start()
        defer { load.stop() }

        try backToBack(context, target: target.pid, into: &result)
        try ReplaySamplingBench.run(context, target: target.pid, into: &result)
        // tenantd's heap keeps freed 1 KiB chunks, so its RSS barely moves: the peers are compared on
        // a process whose RSS swings by 40 MiB five times a second, so "same moment" matters.
        if let python = BenchProcess.which("python3") {
            let sawtooth = try BenchProcess.start(python, ["-c", sawtoothScript], logs: "\(context.work)/sawtooth")
            defer { _ = sawtooth.terminate(grace: .seconds(1)) }
            // python3 may be a shim that execs the interpreter; a sampler that opened the shim's
            // /proc files would lose smaps_rollup at the exec, so wait for the interpreter itself.
            guard sawtooth.waitForLine(containing: "ready", timeout: .seconds(30)) != nil else {
                throw BenchError("the sawtooth target did not start (see \(context.work)/sawtooth.stderr)")
            }
            result.notes.append("Rate windows watch a Python process that allocates and frees 40 MiB every 100 ms.")
            try windows(context, target: sawtooth.pid, into: &result)
        } else {
            result.notes.append("Rate windows watch tenantd (no python3 for the sawtooth target).")
            try windows(context, target: target.pid, into: &result)
        }
        return result
    }

    private static let sawtoothScript = """
        import sys, time
        print("ready", flush=True)
        while True:
            block = b"x" * (40 << 20)
            time.sleep(0.1)
            del block
            time.sleep(0.1)
        """

    /// Our sampler in this process against the C floor, both reading as fast as they can.
    private static func backToBack(
        _ context: BenchContext, target: pid_t, into result: inout BenchSuiteResult
    ) throws {
        let samples = context.quick ? 5_000 : 20_000
        let floor = try compileFloor(context)
        if floor == nil {
            result.notes.append("C floor skipped: no C compiler (cc) or no ci/bench/proc-floor.c found")
        }
        var ours: [SamplingMode: [Double]] = [:]
        var theirs: [SamplingMode: [Double]] = [:]
        for _ in 0..<context.repeats {
            // Interleaved, so both see the same machine load.
            for mode in [SamplingMode.rssAndCPU, .full] {
                ours[mode, default: []].append(
                    SamplerBenchmark.measure(pid: target, samples: samples, mode: mode).cpuMicrosPerSample)
                if let floor,
                   let micros = try runFloor(context, floor, pid: target, samples: samples, full: mode == .full) {
                    theirs[mode, default: []].append(micros)
                }
            }
        }
        result.notes.append("Back to back: \(samples) samples per repeat of tenantd (one 4 MiB service deployed and "
            + "ghosted five times a second); ours is `SamplerBenchmark` "
            + "(thread CPU clock, files kept open, pread), the floor is proc-floor.c (process CPU clock, "
            + "open/read/close each sample). rss-cpu reads status+stat, full adds smaps_rollup and the fd count.")
        var table = BenchTable(title: "CPU per sample, back to back (µs)",
                               columns: ["mode", "ours", "C floor", "ours / floor"])
        for mode in [SamplingMode.rssAndCPU, .full] {
            let mine = result.measure("sampling.ours.\(mode.rawValue).cpu_us", unit: "µs", ours[mode] ?? [])
            let floorValues = theirs[mode] ?? []
            let floorStats = result.measure("sampling.floor.\(mode.rawValue).cpu_us", unit: "µs", floorValues)
            let ratios = zip(ours[mode] ?? [], floorValues).map { $0 / $1 }
            let ratio = result.measure("sampling.ours_over_floor.\(mode.rawValue)", unit: "x", ratios)
            table.rows.append([mode.rawValue, mine.text(BenchFormat.number), floorStats.text(BenchFormat.number),
                               ratio.text(BenchFormat.number)])
            if mode == .rssAndCPU {
                result.bars.append(BenchBar(
                    target: "sampling: RSS+CPU sample within 1.5x of the C floor",
                    measured: "\(mine.text(BenchFormat.number)) µs vs \(floorStats.text(BenchFormat.number)) µs: "
                        + "\(ratio.text(BenchFormat.number))x",
                    met: ratios.isEmpty ? nil : ratio.median <= 1.5,
                    reason: ratios.isEmpty ? "no C compiler to build the floor" : "median ratio of paired repeats"))
            } else {
                result.bars.append(BenchBar(
                    target: "sampling: full set (status, stat, smaps_rollup, fds) under 50 µs",
                    measured: "\(mine.text(BenchFormat.number)) µs", met: mine.median < 50,
                    reason: "median over repeats, back to back"))
            }
        }
        result.tables.append(table)
    }

    private static func compileFloor(_ context: BenchContext) throws -> String? {
        guard let root = context.packageRoot, let cc = BenchProcess.which("cc") ?? BenchProcess.which("gcc") else {
            return nil
        }
        let source = "\(root)/ci/bench/proc-floor.c"
        guard FileSystem.isReadable(source) else { return nil }
        let binary = "\(context.work)/proc-floor"
        let completion = try BenchProcess.run(
            cc, ["-O2", "-o", binary, source], logs: "\(binary).cc", timeout: .seconds(60))
        return completion.status == 0 ? binary : nil
    }

    private static func runFloor(_ context: BenchContext, _ floor: String, pid: pid_t, samples: Int,
                                 full: Bool) throws -> Double? {
        let logs = "\(context.work)/proc-floor-run"
        _ = try BenchProcess.run(floor, (full ? ["--full"] : []) + ["\(pid)", "\(samples)"], logs: logs,
                                 timeout: .seconds(120))
        let text = (try? String(contentsOfFile: "\(logs).stdout", encoding: .utf8)) ?? ""
        let field = text.split(separator: " ").first { $0.hasPrefix("cpu_us_per_sample=") }
        return field.flatMap { Double($0.dropFirst("cpu_us_per_sample=".count)) }
    }

    /// Every sampler as a separate process at several rates, watching the target together.
    private static func windows(_ context: BenchContext, target: pid_t, into result: inout BenchSuiteResult) throws {
        let rates: [Double] = context.quick ? [50] : [10, 50, 200]
        let window = SamplingWindow(warmup: context.quick ? 1.5 : 2, seconds: context.quick ? 3 : 8)
        let psrecord = BenchProcess.which("psrecord")
        let mprof = BenchProcess.which("mprof")
        if psrecord == nil { result.notes.append("psrecord skipped: not installed (pip install psrecord)") }
        if mprof == nil { result.notes.append("mprof skipped: not installed (pip install memory-profiler)") }
        context.log("sampling: \(rates.count) rates × \(context.repeats) windows of \(Int(window.seconds)) s")
        var collected: [String: [Double: [SamplingWindow.Outcome]]] = [:]
        for rate in rates {
            for repeatIndex in 0..<context.repeats {
                let folder = try context.scratch("sampling-\(Int(rate))hz-\(repeatIndex)")
                let interval = 1 / rate
                let lifetime = window.warmup + window.seconds + 2
                var tools: [SamplingWindow.Tool] = SamplingMode.allCases.reversed().map { mode in
                    SamplingWindow.Tool(
                        name: "ours \(mode.rawValue)", executable: context.soakPath,
                        arguments: ["bench", "--sample-child", "\(target)", "\(interval)", "\(lifetime)",
                                    mode.rawValue,
                                    "\(folder)/ours-\(mode.rawValue).log"],
                        log: "\(folder)/ours-\(mode.rawValue).log", readings: SamplingWindow.ourReadings)
                }
                if let psrecord {
                    tools.append(SamplingWindow.Tool(
                        name: "psrecord", executable: psrecord,
                        arguments: ["\(target)", "--interval", "\(interval)", "--duration", "\(lifetime)",
                                    "--log", "\(folder)/psrecord.log"],
                        log: "\(folder)/psrecord.log", readings: SamplingWindow.psrecordReadings))
                }
                if let mprof {
                    tools.append(SamplingWindow.Tool(
                        name: "mprof", executable: mprof,
                        // mprof takes whole seconds only.
                        arguments: ["attach", "-T", "\(interval)", "-t", "\(Int(lifetime.rounded(.up)))",
                                    "-o", "\(folder)/mprof.dat",
                                    "\(target)"],
                        log: "\(folder)/mprof.dat", readings: SamplingWindow.mprofReadings))
                }
                for outcome in try window.run(tools, log: context.log) {
                    collected[outcome.name, default: [:]][rate, default: []].append(outcome)
                }
            }
        }
        SamplingTables.add(collected, rates: rates, window: window, into: &result)
    }
}
