import FoundationEssentials
import Glibc
import SoakRun
import SoakUnits

/// `soak bench contention`: both seed scenarios beside busy loops (1 and 4 per core), on the
/// stepped clock and on the scaled clock at rising scales, each a real `soak run` in a process
/// of its own. Says how far each clock holds 100% integrity when the machine is not the run's.
enum ContentionBench {
    /// One clock setting: stepped, or scaled at a scale.
    struct Clock: Hashable {
        var scale: Double?
        var name: String { scale.map { "scaled \(Int($0))x" } ?? "stepped" }
    }

    /// One `soak run` and what it showed.
    struct Outcome {
        var wallSeconds: Double
        var integrity: Integrity
        var lateCycles: Int
        var sweptLateCycles: Int
        var exitStatus: Int32?
        var complete: Bool { integrity.cycles > 0 && integrity.isComplete }
    }

    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "contention")
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let clocks = [Clock(scale: nil)] + (context.quick ? [28_800.0] : [28_800, 57_600, 115_200]).map(Clock.init)
        let duration: String? = context.quick ? "1d" : nil
        result.notes.append("Each run is `soak run PROFILE --clock stepped` or `--clock scaled --accelerate N`"
            + "\(duration.map { " --duration \($0)" } ?? "") as a process of its own, wall time from spawn to exit, "
            + "with busy loops spinning in the bench process (\(cores) cores here). Scaled scales above the first "
            + "that lost a cycle at a load are not tried at that load. \"late\" counts cycles whose schedule "
            + "slipped or whose request found its state expired before the sweep, meaning held; a cycle that is "
            + "not valid is wrong.")
        var table = BenchTable(title: "Integrity and wall time beside busy loops", columns: [
            "scenario", "busy loops", "clock", "wall s", "integrity", "late", "exit"])
        for (name, budget) in [("service-lazy-loading", 15.0), ("tenant-lazy-loading", 10.0)] {
            var profile = try context.profileJSON(name)
            profile.set("limits.maxAccelerate", .number("1000000"))
            let path = try context.writeProfile(profile, name: name)
            for perCore in [1, 4] {
                let loops = try BusyLoops(count: perCore * cores)
                defer { loops.stop() }
                var highest: Double?
                for clock in clocks {
                    var outcomes: [Outcome] = []
                    for index in 0..<context.repeats {
                        context.log("contention: \(name), \(perCore)/core, \(clock.name), "
                            + "repeat \(index + 1)/\(context.repeats)")
                        outcomes.append(try once(context, profile: path, clock: clock, duration: duration))
                    }
                    let key = "contention.\(name).\(perCore)_per_core.\(clock.scale.map { "\(Int($0))" } ?? "stepped")"
                    let wall = result.measure("\(key).wall_s", unit: "s", outcomes.map(\.wallSeconds))
                    table.rows.append([
                        name, "\(perCore * cores) (\(perCore)/core)", clock.name, wall.text(BenchFormat.number),
                        outcomes.map { "\($0.integrity.validCycles)/\($0.integrity.cycles)" }.joined(separator: ", "),
                        outcomes.map { "\($0.lateCycles + $0.sweptLateCycles)" }.joined(separator: ","),
                        outcomes.map { $0.exitStatus.map(String.init) ?? "killed" }.joined(separator: ","),
                    ])
                    for (index, outcome) in outcomes.enumerated() where !outcome.complete {
                        result.notes.append("\(name), \(perCore)/core, \(clock.name), repeat \(index + 1): "
                            + "\(outcome.integrity.validCycles)/\(outcome.integrity.cycles) valid; first: "
                            + (outcome.integrity.firstViolation ?? "no cycle ran"))
                    }
                    let complete = outcomes.allSatisfy(\.complete)
                    if let scale = clock.scale {
                        if complete { highest = scale }
                        if perCore == 4, scale == 28_800, name.hasPrefix("service") {
                            addBar(&result, "contention: 8-day \(name) at 28800x with 4 busy loops per core, "
                                + "100% integrity in every repeat", outcomes, met: complete, quick: context.quick)
                        }
                        guard complete else { break }
                    } else if perCore == 4 {
                        let days = name.hasPrefix("service") ? "8-day" : "5-day"
                        addBar(&result, "contention: \(days) \(name) on the stepped clock with 4 busy loops per "
                            + "core, 100% integrity under \(Int(budget)) s in every repeat", outcomes,
                            met: complete && wall.max < budget, quick: context.quick)
                    }
                }
                result.notes.append("\(name), \(perCore) busy loop(s) per core: highest scaled clock with 100% "
                    + "integrity in every repeat: " + (highest.map { "\(Int($0))x" } ?? "none tried held"))
            }
        }
        result.tables.append(table)
        return result
    }

    private static func addBar(
        _ result: inout BenchSuiteResult, _ target: String, _ outcomes: [Outcome], met: Bool, quick: Bool
    ) {
        let wall = RepeatStatistics(outcomes.map(\.wallSeconds))
        result.bars.append(BenchBar(
            target: target,
            measured: "wall \(wall.text(BenchFormat.number)) s (max \(BenchFormat.number(wall.max))), integrity "
                + outcomes.map { "\($0.integrity.validCycles)/\($0.integrity.cycles)" }.joined(separator: ", "),
            met: quick ? nil : met,
            reason: quick ? "--quick shortens the run" : "every repeat, wall time of the whole soak process"))
    }

    private static func once(
        _ context: BenchContext, profile: String, clock: Clock, duration: String?
    ) throws -> Outcome {
        let out = try context.scratch("contention-runs")
        let (completion, folder) = try context.soakRun(
            profile: profile, accelerate: clock.scale, duration: duration, out: out)
        guard let folder, let manifest = try? RunManifest.read(from: folder.manifest) else {
            let exit = completion.exit?.description ?? "timed out"
            throw BenchError("soak run \(profile) on the \(clock.name) clock left no run folder (\(exit))")
        }
        return Outcome(
            wallSeconds: completion.wallSeconds, integrity: manifest.integrity,
            lateCycles: manifest.lateCycles ?? 0, sweptLateCycles: manifest.sweptLateCycles ?? 0,
            exitStatus: completion.status)
    }
}
