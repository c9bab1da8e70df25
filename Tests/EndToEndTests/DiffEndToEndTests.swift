import Foundation
import SoakAnalysis
import SoakCLI
import SoakProfiles
import SoakReports
import SoakRun
import SoakUnits
import Testing

/// Runs the built `soak diff` and `soak baseline` on summaries judged in-process from synthetic
/// run folders: exit codes, what stdout and stderr name, GitHub Actions output.
@Suite struct DiffEndToEndTests {
    /// A judged synthetic run written as a summary file: 200 cycles of 3 min, a flat or growing
    /// heap (`heapGrowth` bytes per cycle), flat RSS and descriptors, a cold request per cycle.
    func summaryFile(profile: String = "service-lazy-loading", heapGrowth: Double = 0, seed: UInt64 = 1)
        throws -> String
    {
        let folder = BuiltBinaries.temporaryFolder("diff-run")
        let cycles = 200
        let manifest = """
            {"schema": 1, "profile": "\(profile)", "profile_description": "e2e", "command_line": [],
             "soak_version": "test", "kernel": "test", "harness_pid": 1, "accelerate": 7200,
             "scenario_kind": "service-ghost", "interval_s": 180, "duration_s": \(cycles * 180),
             "planned_cycles": \(cycles), "target_command": [], "started_at": "2026-01-01T00:00:00Z",
             "ended_at": "2026-01-01T00:00:05Z", "status": "completed", "cycles_completed": \(cycles),
             "integrity": {"cycles": \(cycles), "valid_cycles": \(cycles)}, "requests": \(cycles),
             "failed_requests": 0}
            """
        var state = seed
        func noise(_ width: Double) -> Double {
            // A small linear congruential generator: the same data on every run.
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) / Double(1 << 53) * 2 - 1) * width
        }
        var samples = ["sim_seconds,kind,cycle,rss_bytes,rss_anon_bytes,heap_in_use_bytes,fds,threads"]
        var events: [String] = []
        for cycle in 0..<cycles {
            let start = Double(cycle) * 180
            let heap = 4 * 1_048_576 + Double(cycle) * heapGrowth
            for step in 0..<4 {
                let kind = step == 0 ? "trough" : "periodic"
                let extra = step == 0 ? 0 : 512 * 1024 * (1 - Double(step) / 4)
                let rss = 20 * 1_048_576 + extra + noise(32 * 1024)
                samples.append("\(start + Double(step) * 45),\(kind),\(cycle),\(Int(rss)),\(Int(rss) - 8_388_608),"
                    + "\(Int(heap + extra + noise(8 * 1024))),9,4")
            }
            events.append(#"{"type":"request","cycle":\#(cycle),"sim_seconds":\#(start),"#
                + #""path":"/t/t1/a1.service","status":200,"latency_ms":\#(2 + noise(0.5)),"#
                + #""tenant_was":"loaded","artifact_was":"ghost","ok":true}"#)
        }
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        try write(manifest, "run.json")
        try write(samples.joined(separator: "\n") + "\n", "samples.csv")
        try write(events.joined(separator: "\n") + "\n", "events.jsonl")
        let summary = try RunJudge.judge(RunFolder(path: folder)).summary
        let path = folder + "/summary.json"
        try summary.write(to: path)
        return path
    }

    func diff(_ arguments: [String], environment: [String: String] = [:]) throws -> BuiltBinaries.Result {
        try BuiltBinaries.run(BuiltBinaries.soak, ["diff"] + arguments, timeout: 60, environment: environment)
    }

    @Test func twoCleanRunsExit0() throws {
        let result = try diff([try summaryFile(seed: 1), try summaryFile(seed: 2)])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("diff: OK"), "\(result.stdout)")
        #expect(result.stdout.contains("heap_in_use plateau"), "\(result.stdout)")
    }

    @Test func leakingHeapExits1NamingHeapInUse() throws {
        let base = try summaryFile()
        let candidate = try summaryFile(heapGrowth: 8 * 1024, seed: 2)
        let html = BuiltBinaries.temporaryFolder("diff-html") + "/diff.html"
        let jobSummary = BuiltBinaries.temporaryFolder("diff-gha") + "/summary.md"
        _ = FileManager.default.createFile(atPath: jobSummary, contents: nil)
        let result = try diff(
            [base, candidate, "--html", html],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": jobSummary])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("regression: heap_in_use now leaks"), "\(result.stdout)")
        #expect(result.stdout.contains("diff: REGRESSION"), "\(result.stdout)")
        // One annotation per regressed metric, whatever the number of its rows that regressed.
        let heapAnnotation = "::error title=soak diff service-lazy-loading%3A heap_in_use::"
        let annotations = result.stdout.components(separatedBy: heapAnnotation)
        #expect(annotations.count == 2, "\(result.stdout)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && !page.contains("<script"))
        let markdown = try String(contentsOfFile: jobSummary, encoding: .utf8)
        #expect(markdown.contains("| heap_in_use verdict | pass | leak |"), "\(markdown)")
    }

    @Test func differentProfilesExit2UnlessForced() throws {
        let base = try summaryFile(profile: "service-lazy-loading")
        let candidate = try summaryFile(profile: "tenant-lazy-loading", seed: 2)
        let refused = try diff([base, candidate])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("different profiles"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        let forced = try diff([base, candidate, "--force"])
        #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
        #expect(forced.stderr.contains("warning: the runs are of different profiles"), "\(forced.stderr)")
        #expect(forced.stdout.contains("diff: OK"), "\(forced.stdout)")
    }

    @Test func baselineNamesAndBadInput() throws {
        let baselines = BuiltBinaries.temporaryFolder("baselines")
        let save = try BuiltBinaries.run(
            BuiltBinaries.soak, ["baseline", "save", try summaryFile(), "clean-1", "--baselines", baselines])
        #expect(save.status == 0, "\(save.stderr)")
        #expect(save.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == baselines + "/clean-1.json")
        let list = try BuiltBinaries.run(BuiltBinaries.soak, ["baseline", "list", "--baselines", baselines])
        #expect(list.stdout.contains("clean-1"), "\(list.stdout)")
        let byName = try diff(["clean-1", try summaryFile(seed: 3), "--baselines", baselines, "--format", "md"])
        #expect(byName.status == 0, "\(byName.stdout)\(byName.stderr)")
        #expect(byName.stdout.contains("| metric | base | candidate |"), "\(byName.stdout)")

        let badName = try BuiltBinaries.run(BuiltBinaries.soak, ["baseline", "save", baselines, "../x"])
        #expect(badName.status == 2 && badName.stderr.contains("expected 1 to 64 of"), "\(badName.stderr)")
        let badTolerance = try diff(["clean-1", "clean-1", "--baselines", baselines, "--tolerance", "rss=lots"])
        #expect(badTolerance.status == 2 && badTolerance.stderr.contains("rss"), "\(badTolerance.stderr)")
        let missing = try diff(["nonesuch", "clean-1", "--baselines", baselines])
        #expect(missing.status == 2 && missing.stderr.contains("saved baselines: clean-1"), "\(missing.stderr)")
        let corrupt = BuiltBinaries.temporaryFolder("corrupt") + "/summary.json"
        try Data("{".utf8).write(to: URL(fileURLWithPath: corrupt))
        let unreadable = try diff(["clean-1", corrupt, "--baselines", baselines, "--force"])
        #expect(unreadable.status == 2 && unreadable.stderr.contains("not a soak summary"), "\(unreadable.stderr)")
    }
}
