import FoundationEssentials
import Glibc
import SoakRun
import SoakUnits

/// `soak bench attribution`: what naming the leaking stack costs a target, beside the tools a
/// person would otherwise reach for.
///
/// The same malloc-heavy C loop (ci/bench/malloc-loop.c: 20,000 live blocks, one freed and one
/// allocated per operation) runs bare, under libSoakHeapPreload.so with libSoakHeapStacks.so at
/// the default sampling mean (512 KiB), under valgrind's massif and, when installed, heaptrack.
/// Two block mixes: 16 B–4 KiB (about 2 KiB on average: many bytes per second, so many samples)
/// and 16–256 B (small objects: many calls, few bytes). Figures per million operations: the loop's
/// own CPU time (what a target pays in its threads) and the wall time of the whole command (which
/// includes work done outside the loop, as heaptrack's interpreter process or valgrind's JIT).
/// Peak RSS comes from GNU time's `%M`; the extra RSS is against the bare loop's.
enum AttributionBench {
    struct Tool {
        var name: String
        var command: [String]
        var environment: [String: String] = [:]
        /// Millions of operations: the slow tools run fewer, and figures are per million.
        var millions: Double
    }

    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "attribution")
        guard let root = context.packageRoot, let cc = BenchProcess.which("cc"), let time = BenchProcess.which("time")
        else {
            result.notes.append("skipped: needs the package checkout, cc and GNU time")
            return result
        }
        let work = try context.scratch("attribution")
        let loop = work + "/malloc-loop"
        let compile = try BenchProcess.run(cc, ["-O2", "-o", loop, root + "/ci/bench/malloc-loop.c"],
                                           logs: work + "/cc", timeout: .seconds(120))
        guard compile.status == 0 else { throw BenchError("bench: cannot compile ci/bench/malloc-loop.c") }
        let executable = MetricSources.selfExecutable()
        guard let preload = GlibcHeapSource.libraryPath(besides: executable),
              let stacks = GlibcHeapSource.libraryPath(besides: executable, named: "libSoakHeapStacks.so",
                                                       override: "LAZYSOAK_HEAP_STACKS_PRELOAD")
        else { throw BenchError("bench: libSoakHeapPreload.so and libSoakHeapStacks.so must be beside soak") }
        let full = context.quick ? 1.0 : 5.0
        let slow = context.quick ? 0.05 : 0.2
        var tools = [
            Tool(name: "bare", command: [], millions: full),
            // The heap page alone, as `heap: "glibc"` runs: the base the stacks add to (its wrappers
            // check for the harness's request on each allocation; no thread, so glibc stays on its
            // single-thread path).
            Tool(name: "soak heap page", command: [],
                 environment: ["LD_PRELOAD": preload, "LAZYSOAK_HEAP_DIR": work], millions: full),
            Tool(name: "soak heap page + stacks (512 KiB)", command: [],
                 // In the order the harness preloads them: the sampler first, its wrappers serving both.
                 environment: ["LD_PRELOAD": "\(stacks):\(preload)", "LAZYSOAK_HEAP_DIR": work], millions: full),
        ]
        if let valgrind = BenchProcess.which("valgrind") {
            tools.append(Tool(name: "valgrind massif",
                              command: [valgrind, "--tool=massif", "--massif-out-file=\(work)/massif.out"], millions: slow))
        } else {
            result.notes.append("valgrind is not installed: no massif figures")
        }
        if let heaptrack = BenchProcess.which("heaptrack") {
            tools.append(Tool(name: "heaptrack", command: [heaptrack, "-o", "\(work)/heaptrack"], millions: slow))
        } else {
            result.notes.append("heaptrack is not installed: no heaptrack figures")
        }
        var table = BenchTable(title: "Cost of naming the allocating stack, per million loop operations (median)",
                               columns: ["loop", "tool", "loop CPU", "slowdown", "wall", "wall slowdown", "peak RSS",
                                         "extra RSS"])
        for (mix, largest) in [("16 B–4 KiB", 4096), ("16–256 B", 256)] {
            var bare: (cpu: Double, wall: Double, rss: Double)?
            // Tools take turns within each repeat, in reverse order every other repeat, so a busy
            // moment of the machine falls on all alike and no tool always runs right after another.
            var figures = [[(cpu: Double, wall: Double, rss: Double)]](repeating: [], count: tools.count)
            for repeat_ in 0..<context.repeats {
                let order = repeat_ % 2 == 0 ? Array(tools.indices) : tools.indices.reversed()
                for index in order {
                    let tool = tools[index]
                    let measured = try measure(tool, loop: loop, largest: largest, time: time, work: work,
                                               tag: "\(largest)-\(repeat_)")
                    figures[index].append((measured.cpu / tool.millions, measured.wall / tool.millions, measured.rss))
                    removeTables(in: work)
                }
            }
            for (index, tool) in tools.enumerated() {
                let cpu = figures[index].map(\.cpu), wall = figures[index].map(\.wall), rss = figures[index].map(\.rss)
                let key = "\(tool.name), \(mix)"
                let cpuStats = result.measure("loop CPU per million, \(key)", unit: "s", cpu)
                let wallStats = result.measure("wall per million, \(key)", unit: "s", wall)
                let rssStats = result.measure("peak RSS, \(key)", unit: "bytes", rss)
                if bare == nil { bare = (cpuStats.median, wallStats.median, rssStats.median) }
                guard let base = bare else { continue }
                table.rows.append([
                    mix, tool.name, ms(cpuStats.median), ratio(cpuStats.median, base.cpu), ms(wallStats.median),
                    ratio(wallStats.median, base.wall), ByteSize.format(rssStats.median),
                    ByteSize.format(rssStats.median - base.rss),
                ])
            }
            // The bars compare runs of the same repeat (paired ratios): the machine's load drifts
            // between repeats far more than the few percent a bar is about.
            let pageIndex = tools.firstIndex { $0.name == "soak heap page" }
            let stacksIndex = tools.firstIndex { $0.name.hasSuffix("stacks (512 KiB)") }
            if let pageIndex {
                let slowdown = result.measure("heap page CPU over bare, \(mix)", unit: "ratio",
                                              paired(figures[pageIndex], over: figures[0]))
                result.bars.append(BenchBar(
                    target: "the heap page slows a malloc-heavy C loop (\(mix) blocks) by under 5%",
                    measured: "\(percent(slowdown.median - 1)) loop CPU over the bare loop (quartiles "
                        + "\(percent(slowdown.q1 - 1)) to \(percent(slowdown.q3 - 1)), range \(percent(slowdown.min - 1)) "
                        + "to \(percent(slowdown.max - 1)))",
                    met: slowdown.median < 1.05,
                    reason: "median of \(context.repeats) paired ratios, runs of each kind in turn, order alternating"))
            }
            if let pageIndex, let stacksIndex {
                // The stacks' own cost is against the heap page they are added to; against the bare
                // loop it is said too.
                let slowdown = result.measure("stacks CPU over heap page, \(mix)", unit: "ratio",
                                              paired(figures[stacksIndex], over: figures[pageIndex]))
                let overBare = RepeatStatistics(paired(figures[stacksIndex], over: figures[0]))
                let rss = RepeatStatistics(figures[stacksIndex].map(\.rss)).median
                let pageRSS = RepeatStatistics(figures[pageIndex].map(\.rss)).median
                result.bars.append(BenchBar(
                    target: "stacks on slow a malloc-heavy C loop (\(mix) blocks) by under 5%",
                    measured: "\(percent(slowdown.median - 1)) loop CPU over the heap page alone (quartiles "
                        + "\(percent(slowdown.q1 - 1)) to \(percent(slowdown.q3 - 1)), range \(percent(slowdown.min - 1)) "
                        + "to \(percent(slowdown.max - 1)); \(percent(overBare.median - 1)) over the bare loop), "
                        + "\(ByteSize.format(rss - pageRSS)) extra RSS over the page "
                        + "(\(ByteSize.format(rss - (bare?.rss ?? rss))) over bare)",
                    met: slowdown.median < 1.05,
                    reason: "median of \(context.repeats) paired ratios, runs of each kind in turn, order alternating"))
            }
        }
        result.tables.append(table)
        result.notes.append("each row runs \(full) million operations (massif and heaptrack \(slow) million); "
            + "the loop's CPU is its own threads' time, so work a tool does in another process shows only in wall")
        return result
    }

    private static func measure(
        _ tool: Tool, loop: String, largest: Int, time: String, work: String, tag: String
    ) throws -> (cpu: Double, wall: Double, rss: Double) {
        let timeFile = "\(work)/time-\(tag).txt"
        let arguments = ["-f", "%M", "-o", timeFile] + tool.command + [loop, String(tool.millions), String(largest)]
        var spec = LaunchSpec(executable: time, arguments: arguments, stdoutPath: "\(work)/loop-\(tag).out",
                              stderrPath: "\(work)/loop-\(tag).err")
        spec.environment = tool.environment
        let started = BenchProcess.monotonicSeconds()
        let process = try TargetProcess.launch(spec)
        guard process.waitForExit(timeout: .seconds(1800)) == .exited(status: 0) else {
            throw BenchError("bench: \(tool.name) on the malloc loop failed; see \(work)/loop-\(tag).err")
        }
        let wall = BenchProcess.monotonicSeconds() - started
        // The loop prints its CPU seconds, among a tool's own lines (heaptrack's banner and summary);
        // the copier thread may still be writing them.
        var cpu: Double?
        _ = SystemRunClock.polling.poll(every: .milliseconds(5), for: .seconds(5)) { () -> Bool? in
            cpu = (try? String(contentsOfFile: "\(work)/loop-\(tag).out", encoding: .utf8))
                .flatMap { $0.split(separator: "\n").compactMap { Double($0) }.last }
            return cpu != nil ? true : nil
        }
        let kibibytes = (try? String(contentsOfFile: timeFile, encoding: .utf8))
            .flatMap { Double($0.split(separator: "\n").last.map(String.init) ?? "") }
        guard let cpu, let kibibytes else { throw BenchError("bench: no figures from \(tool.name) (\(timeFile))") }
        return (cpu, wall, kibibytes * 1024)
    }

    /// Per repeat, the loop CPU of `runs` over that of `bases` in the same repeat.
    private static func paired(
        _ runs: [(cpu: Double, wall: Double, rss: Double)], over bases: [(cpu: Double, wall: Double, rss: Double)]
    ) -> [Double] {
        zip(runs, bases).map { $1.cpu > 0 ? $0.cpu / $1.cpu : .nan }
    }

    private static func removeTables(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where
            name.hasPrefix("stacks.") || name.hasPrefix("heap.") {
            unlink("\(folder)/\(name)")
        }
    }

    private static func ms(_ seconds: Double) -> String { DecimalText.format(seconds * 1000, significant: 3) + " ms" }
    private static func ratio(_ value: Double, _ base: Double) -> String {
        base > 0 ? DecimalText.format(value / base, significant: 3) + "x" : "–"
    }
    private static func percent(_ value: Double) -> String {
        (value >= 0 ? "+" : "") + DecimalText.format(value * 100, significant: 2) + "%"
    }
}
