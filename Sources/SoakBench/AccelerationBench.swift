import FoundationEssentials
import SoakAnalysis
import SoakRun
import SoakUnits

/// `soak bench acceleration`: both seed scenarios at increasing `--accelerate`, each a real
/// `soak run` in a process of its own, for wall time, integrity and the harness's own RSS.
enum AccelerationBench {
    /// One `soak run` and what it showed.
    struct Outcome {
        var wallSeconds: Double
        var simulatedSeconds: Double
        var integrity: Integrity
        var exitStatus: Int32?
        var harnessPeakBytes: Double?
        /// Median harness RSS of the last tenth of the run minus that of the first tenth.
        var harnessGrowthBytes: Double?
        var harnessVerdict: LeakVerdict?
    }

    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "acceleration")
        let scales: [Double] = context.quick ? [7200, 28800] : [7200, 14400, 28800, 57600]
        let duration: String? = context.quick ? "1d" : nil
        let durationFlag = duration.map { " --duration \($0)" } ?? ""
        result.notes.append("Each run is `soak run PROFILE --accelerate N\(durationFlag)` "
            + "as a separate process (this binary), wall time from spawn to exit: start-up, replay, teardown and "
            + "analysis. Profiles are the shipped seeds with limits.maxAccelerate raised so every scale is accepted. "
            + "Scales above the first failing one are not tried.")
        var table = BenchTable(title: "Wall time and integrity by scale", columns: [
            "scenario", "accelerate", "simulated", "wall s", "sim/wall", "integrity", "exit", "harness peak MiB"])
        var series: [BenchChart.Series] = []
        for (name, budget) in [("service-lazy-loading", 120.0), ("tenant-lazy-loading", 90.0)] {
            var profile = try context.profileJSON(name)
            profile.set("limits.maxAccelerate", .number("1000000"))
            let path = try context.writeProfile(profile, name: name)
            var points: [BenchChart.Point] = []
            var highest: Double?
            var atBar: [Outcome] = []
            for scale in scales {
                var outcomes: [Outcome] = []
                for index in 0..<context.repeats {
                    context.log("acceleration: \(name) at \(Int(scale))x, repeat \(index + 1)/\(context.repeats)")
                    let outcome = try once(context, profile: path, scale: scale, duration: duration)
                    if let violation = outcome.integrity.firstViolation {
                        // The run folder is scratch: keep what broke, or an invalid run cannot be explained.
                        let valid = "\(outcome.integrity.validCycles)/\(outcome.integrity.cycles)"
                        result.notes.append("\(name) at \(Int(scale))x, repeat \(index + 1): \(valid) cycles valid; "
                            + "first: \(violation)")
                    }
                    outcomes.append(outcome)
                }
                let key = "acceleration.\(name).\(Int(scale))"
                let wall = result.measure("\(key).wall_s", unit: "s", outcomes.map(\.wallSeconds))
                let ratio = result.measure("\(key).sim_over_wall", unit: "x",
                                           outcomes.map { $0.simulatedSeconds / $0.wallSeconds })
                let peak = RepeatStatistics(outcomes.compactMap(\.harnessPeakBytes).map { $0 / 1_048_576 })
                let complete = outcomes.allSatisfy { $0.integrity.cycles > 0 && $0.integrity.isComplete }
                let integrity = outcomes.map { "\($0.integrity.validCycles)/\($0.integrity.cycles)" }
                    .joined(separator: ", ")
                table.rows.append([
                    name, "\(Int(scale))", DurationText.format(.seconds(outcomes[0].simulatedSeconds)),
                    wall.text(BenchFormat.number), ratio.text(BenchFormat.number), integrity,
                    outcomes.map { $0.exitStatus.map(String.init) ?? "killed" }.joined(separator: ","),
                    peak.text(BenchFormat.number)])
                points.append(BenchChart.Point(x: scale, wall))
                if scale == 7200 { atBar = outcomes }
                guard complete else { break }
                highest = scale
            }
            series.append(BenchChart.Series(name: name, points: points))
            result.notes.append("\(name): highest scale tried with 100% integrity in every repeat: "
                + (highest.map { "\(Int($0))x" } ?? "none"))
            addBars(name: name, budget: budget, outcomes: atBar, quick: context.quick, into: &result)
        }
        result.tables.append(table)
        result.charts.append(BenchChart(
            file: "acceleration-wall.svg", title: "Wall time of a whole soak run against clock scale",
            xLabel: "accelerate (simulated s per wall s)", yLabel: "wall seconds", logX: true, logY: true,
            series: series))
        return result
    }

    private static func once(
        _ context: BenchContext, profile: String, scale: Double, duration: String?
    ) throws -> Outcome {
        let out = try context.scratch("acceleration-runs")
        let (completion, folder) = try context.soakRun(
            profile: profile, accelerate: scale, duration: duration, out: out)
        guard let folder, let manifest = try? RunManifest.read(from: folder.manifest) else {
            let exit = completion.exit?.description ?? "timed out"
            throw BenchError("soak run \(profile) at \(Int(scale))x left no run folder (\(exit))")
        }
        var outcome = Outcome(
            wallSeconds: completion.wallSeconds, simulatedSeconds: manifest.durationSeconds,
            integrity: manifest.integrity, exitStatus: completion.status)
        if let table = try? SampleTable(contentsOfFile: folder.samples),
           let column = table.column(.harnessRSSBytes) {
            let values = column.compactMap { $0 }
            outcome.harnessPeakBytes = values.max()
            let tenth = max(1, values.count / 10)
            var head = Array(values.prefix(tenth)), tail = Array(values.suffix(tenth))
            if !values.isEmpty {
                outcome.harnessGrowthBytes = OrderStatistics.median(&tail) - OrderStatistics.median(&head)
            }
        }
        outcome.harnessVerdict = (try? RunJudge.judge(folder))?.summary.metric(.harnessRSS)?.verdict
        return outcome
    }

    private static func addBars(name: String, budget: Double, outcomes: [Outcome], quick: Bool,
                                into result: inout BenchSuiteResult) {
        let days = name.hasPrefix("service") ? "8-day" : "5-day"
        guard !outcomes.isEmpty else { return }
        let wall = RepeatStatistics(outcomes.map(\.wallSeconds))
        let complete = outcomes.allSatisfy { $0.integrity.cycles > 0 && $0.integrity.isComplete }
        result.bars.append(BenchBar(
            target: "acceleration: \(days) \(name) at 7200x under \(Int(budget)) s with 100% integrity",
            measured: "\(wall.text(BenchFormat.number)) s, integrity "
                + (complete ? "100%" : outcomes.map { "\($0.integrity.validCycles)/\($0.integrity.cycles)" }
                    .joined(separator: ", ")),
            met: quick ? nil : wall.median < budget && complete,
            reason: quick ? "--quick shortens the run" : "median wall of the whole soak process"))
        let peaks = RepeatStatistics(outcomes.compactMap(\.harnessPeakBytes))
        let growth = RepeatStatistics(outcomes.compactMap(\.harnessGrowthBytes))
        let flat = outcomes.allSatisfy { $0.harnessVerdict != .leak }
        result.bars.append(BenchBar(
            target: "harness: own RSS under 16 MiB and flat over a full \(name) run (release, static stdlib)",
            measured: "peak \(peaks.text(BenchFormat.mebibytes)), last-tenth minus first-tenth "
                + "\(growth.text { BenchFormat.number($0 / 1024) + " KiB" }), harness_rss verdict "
                + outcomes.map { $0.harnessVerdict?.rawValue ?? "n/a" }.joined(separator: ","),
            met: quick ? nil : peaks.max < 16 * 1_048_576 && flat,
            reason: quick ? "--quick shortens the run" : "harness_rss_bytes column of samples.csv at 7200x"))
    }
}
