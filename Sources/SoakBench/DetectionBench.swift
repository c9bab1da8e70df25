import FoundationEssentials
import SoakProfiles
import SoakRun

/// `soak bench detection`: how soon injected leaks are found, and how often a clean runtime is
/// falsely called leaking.
///
/// Time to detect is measured by judging prefixes: each leaking run goes to its end once, then
/// its samples.csv is cut after every few cycles and each prefix judged as `soak run --duration`
/// of that length would be (same profile, same warm-up share, same leak rule). The detection time is the
/// prefix's `wall_seconds`, the real time the run had taken by then.
enum DetectionBench {
    static let leakSizes = [256, 1024, 16_384]

    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "detection")
        let base = try context.profileJSON("quick")
        let accelerate = 7200.0
        result.notes.append("Leaking runs: Profiles/quick.json (a service cycling every 3m for 2 simulated days) with "
            + "target.tenantd.injectLeak global-cache and leakBytes per load, at \(Int(accelerate))x. Each run is "
            + "judged at cuts every \(cutEvery) cycles; 'first' is the first cut judged a leak, 'stable' the first "
            + "cut from which every later cut is. Times are the replay's wall seconds at the cut (target start-up, "
            + "about 0.1 s, not included).")
        var table = BenchTable(title: "Time to detect an injected leak", columns: [
            "leak per cycle", "detected", "first: cycles", "first: wall s", "stable: cycles", "stable: wall s",
            "stable: simulated h", "metrics"])
        var stableOneKiB: RepeatStatistics?
        for bytes in leakSizes {
            var profile = base
            profile.set("target.tenantd.injectLeak", .string("global-cache"))
            profile.set("target.tenantd.leakBytes", .number("\(bytes)"))
            let path = try context.writeProfile(profile, name: "leak-\(bytes)")
            let loaded = try ProfileLoader.load(file: path)
            var detections: [PrefixJudge.Detection] = []
            for index in 0..<context.repeats {
                context.log("detection: \(bytes) B per cycle, run \(index + 1)/\(context.repeats)")
                let out = try context.scratch("detection-runs")
                let (completion, folder) = try context.soakRun(profile: path, accelerate: accelerate, out: out)
                guard let folder else { throw BenchError("soak run leak-\(bytes) left no run folder") }
                if completion.status != 1 {
                    context.log("detection: leak-\(bytes) exited \(completion.exit?.description ?? "?"), expected 1")
                }
                detections.append(try PrefixJudge.detect(folder: folder, profile: loaded, cutEvery: cutEvery))
            }
            let found = detections.filter { $0.stable != nil }
            let firstCycles = RepeatStatistics(detections.compactMap { $0.first?.cycles }.map(Double.init))
            let firstWall = result.measure("detection.\(bytes).first_wall_s", unit: "s",
                                           detections.compactMap { $0.first?.wallSeconds })
            let stableCycles = RepeatStatistics(found.compactMap { $0.stable?.cycles }.map(Double.init))
            let stableWall = result.measure("detection.\(bytes).stable_wall_s", unit: "s",
                                            found.compactMap { $0.stable?.wallSeconds })
            let stableHours = RepeatStatistics(found.compactMap { $0.stable?.simulatedSeconds }.map { $0 / 3600 })
            let metrics = Set(found.flatMap { $0.stable?.metrics ?? [] }).sorted().joined(separator: ", ")
            table.rows.append([
                "\(bytes) B", "\(found.count)/\(detections.count)", firstCycles.text(BenchFormat.number),
                firstWall.text(BenchFormat.number), stableCycles.text(BenchFormat.number),
                stableWall.text(BenchFormat.number), stableHours.text(BenchFormat.number), metrics])
            if bytes == 1024 { stableOneKiB = found.count == detections.count ? stableWall : nil }
        }
        result.tables.append(table)
        result.bars.append(BenchBar(
            target: "detection: a 1 KiB per cycle leak found in under 60 s of accelerated run",
            measured: stableOneKiB.map { "\($0.text(BenchFormat.number)) s (stable detection)" }
                ?? "not found in every run",
            met: stableOneKiB.map { $0.max < 60 } ?? false, reason: "slowest repeat's stable detection, at 7200x"))
        try falsePositives(context, accelerate: accelerate, into: &result)
        return result
    }

    static var cutEvery: Int { 10 }

    /// Clean runs of both seed scenarios (2 simulated days each), judged as `soak run` judges them.
    private static func falsePositives(_ context: BenchContext, accelerate: Double,
                                       into result: inout BenchSuiteResult) throws {
        let count = context.quick ? 4 : 20
        var paths: [String] = []
        for name in ["service-lazy-loading", "tenant-lazy-loading"] {
            var profile = try context.profileJSON(name)
            profile.set("scenario.duration", .string("2d"))
            paths.append(try context.writeProfile(profile, name: "clean-\(name)"))
        }
        var verdicts: [Int32?] = []
        var walls: [Double] = []
        for index in 0..<count {
            let path = paths[index % paths.count]
            context.log("detection: clean run \(index + 1)/\(count)")
            let (completion, folder) = try context.soakRun(
                profile: path, accelerate: accelerate, out: try context.scratch("detection-clean"))
            verdicts.append(completion.status)
            if completion.status != 0 {
                // The folder is scratch: keep the reason, or a failed clean run cannot be explained later.
                let reason = folder.flatMap { try? RunJudge.judge($0) }?.summary.verdictReason ?? "no run folder"
                result.notes.append("clean run \(index + 1) (\(path.split(separator: "/").last ?? "")) exited "
                    + "\(completion.exit?.description ?? "at the timeout"): \(reason)")
            }
            walls.append(completion.wallSeconds)
        }
        let falseLeaks = verdicts.filter { $0 == 1 }.count
        let other = verdicts.filter { $0 != 0 && $0 != 1 }.count
        let wall = result.measure("detection.clean.wall_s", unit: "s", walls)
        result.measure("detection.clean.false_positive_share", unit: "share", [Double(falseLeaks) / Double(count)])
        result.tables.append(BenchTable(
            title: "Clean runs (no leak injected)",
            columns: ["runs", "pass", "false leak", "invalid/crashed", "wall s"],
            rows: [["\(count) (alternating both seeds, 2 simulated days, \(Int(accelerate))x)",
                    "\(verdicts.filter { $0 == 0 }.count)", "\(falseLeaks)", "\(other)",
                    wall.text(BenchFormat.number)]]))
        result.bars.append(BenchBar(
            target: "detection: 0 false leaks in 20 clean runs",
            measured: "\(falseLeaks) false of \(count), \(other) not passed for another reason",
            met: count >= 20 ? falseLeaks == 0 && other == 0 : nil,
            reason: count >= 20 ? "soak run exit codes (0 pass, 1 leak)" : "--quick runs \(count), not 20"))
    }
}
