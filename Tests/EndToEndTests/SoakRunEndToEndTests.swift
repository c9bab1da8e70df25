import Foundation
import Glibc
import SoakAnalysis
import SoakCLI
import SoakProfiles
import SoakReports
import SoakRun
import SoakUnits
import Testing

/// Runs the built `soak` against the built `tenantd` with short accelerated scenarios.
@Suite(.serialized) struct SoakRunEndToEndTests {
    /// The run folder under `parent` once it exists; nil before.
    func existingRunFolder(in parent: String) -> String? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent))?.filter { !$0.hasPrefix(".") } ?? []
        return entries.count == 1 ? parent + "/" + entries[0] : nil
    }

    func runFolder(in parent: String) throws -> String {
        let entries = try FileManager.default.contentsOfDirectory(atPath: parent).filter { !$0.hasPrefix(".") }
        try #require(entries.count == 1, "one run folder, found \(entries)")
        return parent + "/" + entries[0]
    }

    // The profile's 7200x: the sweeper wakes at each idle deadline and a request past a deadline the
    // sweep missed expires what it finds, so a loaded CI machine no longer needs a slower clock.
    @Test func quickRunOfThreeSimulatedHoursLeavesACompleteRunFolder() throws {
        let out = BuiltBinaries.temporaryFolder("run")
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--duration", "3h", "--accelerate", "7200", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let folder = try runFolder(in: out)
        for file in ["run.json", "samples.csv", "events.jsonl", "target.stderr.log", "profile.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file)")
        }
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.status == .completed)
        #expect(manifest.plannedCycles == 60)
        #expect(manifest.cyclesCompleted == 60)
        #expect(manifest.integrity.validCycles == 60)
        #expect(manifest.integrity.cycles == 60)
        #expect(manifest.teardown == .sigterm)
        #expect(manifest.targetExit == .exited(status: 0))

        let lines = try String(contentsOfFile: folder + "/samples.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == Substring(SampleColumn.header))
        #expect(lines.filter { $0.contains(",trough,") }.count == 60)
        let requests = try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("\"type\":\"request\"") }
        #expect(requests.count == 60)
        #expect(requests.dropFirst().allSatisfy { $0.contains("\"artifact_was\":\"ghost\"") })
        #expect(result.stdout.contains("integrity: 60/60"), "\(result.stdout)")
        #expect(result.stdout.contains("verdict: PASS"), "\(result.stdout)")
        let summary = try RunSummary.read(from: folder + "/summary.json")
        #expect(summary.verdict == .pass)
        #expect(summary.integrity.validCycles == 60)
        #expect(summary.analysis.metrics.map(\.metric).contains(.heapInUse))
        // tenantd's live instances by type were judged, and a clean run names no culprit.
        #expect(summary.culprits?.contains { $0.name == "DeployedArtifact" } == true)
        #expect(summary.culprits?.contains { $0.growing } == false, "\(summary.verdictReason)")

        // Re-judging the same folder gives the same verdict; a zero threshold on a metric that
        // never moves still passes, because the trend test finds no trend.
        let report = try BuiltBinaries.run(BuiltBinaries.soak, ["report", folder, "--threshold", "fds=0:0"])
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        let badThreshold = try BuiltBinaries.run(BuiltBinaries.soak, ["report", folder, "--threshold", "heap=1"])
        #expect(badThreshold.status == 2)
        #expect(badThreshold.stderr.contains("unknown metric \"heap\""), "\(badThreshold.stderr)")
    }

    /// The injected never-pruned cache is named by its type in the verdict line.
    @Test func anInjectedGlobalCacheIsNamedByType() throws {
        let out = BuiltBinaries.temporaryFolder("culprit")
        let profile = out + "-profile.json"
        var text = try String(contentsOfFile: BuiltBinaries.packageRoot + "/Profiles/quick.json", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"tenants\": 1,", with: "\"tenants\": 1, \"injectLeak\": \"global-cache\",")
        try Data(text.utf8).write(to: URL(fileURLWithPath: profile))
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", profile, "--duration", "3h", "--accelerate", "3600", "--out", out])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("growing: GlobalCacheEntry +1/cycle"), "\(result.stdout)")
    }

    @Test func killingTheTargetMidRunGivesExit3AndKeepsEverySample() throws {
        let out = BuiltBinaries.temporaryFolder("crash")
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "service-lazy-loading", "--accelerate", "2000", "--duration", "1d", "--out", out]
        ) { _ in
            // Wait for the run to record its target's pid, let it sample a while, then SIGKILL it.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let folder = self.existingRunFolder(in: out),
                   let manifest = try? RunManifest.read(from: folder + "/run.json"), let pid = manifest.targetPID,
                   let samples = try? String(contentsOfFile: folder + "/samples.csv", encoding: .utf8),
                   samples.split(separator: "\n").count > 20 {
                    kill(pid, SIGKILL)
                    return
                }
                usleep(20_000)
            }
        }
        #expect(result.status == 3, "\(result.stderr)")
        let folder = try runFolder(in: out)
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.status == .crashed)
        #expect(manifest.targetExit == .signaled(signal: SIGKILL))
        #expect(manifest.statusReason?.contains("killed by signal 9") == true)
        let samples = try String(contentsOfFile: folder + "/samples.csv", encoding: .utf8).split(separator: "\n")
        #expect(samples.count > 20)
        #expect(result.stdout.contains("verdict: CRASHED"), "\(result.stdout)")
        #expect(try RunSummary.read(from: folder + "/summary.json").verdict == .crashed)

        // The folder of a crashed run still reports, with the same verdict and exit code.
        let report = try BuiltBinaries.run(BuiltBinaries.soak, ["report", folder])
        #expect(report.status == 3)
        #expect(report.stdout.contains("killed by signal 9"), "\(report.stdout)")
    }

    @Test func sigintFinalisesTheRunAsInterrupted() throws {
        let out = BuiltBinaries.temporaryFolder("interrupt")
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--accelerate", "1000", "--duration", "6h", "--out", out]) { process in
            usleep(1_500_000)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 3)
        let manifest = try RunManifest.read(from: try runFolder(in: out) + "/run.json")
        #expect(manifest.status == .interrupted)
        #expect(manifest.statusReason?.contains("SIGINT") == true)
        #expect(manifest.teardown == .sigterm)
        #expect(result.stdout.contains("verdict: INTERRUPTED"), "\(result.stdout)")
    }

    @Test func badUsageAndBadProfilesExitWith2() throws {
        let unknown = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "no-such-profile"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("quick"), "lists the available profiles: \(unknown.stderr)")

        let folder = BuiltBinaries.temporaryFolder("badprofile")
        try Data(#"{"description": "x", "target": {"tenantd": {}}, "scenario": {"kind": "plain", "requests": ["/t/t1/a1.service"], "interval": "three", "duration": "1h"}}"#.utf8)
            .write(to: URL(fileURLWithPath: folder + "/bad.json"))
        let bad = try BuiltBinaries.run(BuiltBinaries.soak, ["run", folder + "/bad.json"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("scenario.interval"), "\(bad.stderr)")

        let flag = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--accelerate", "fast"])
        #expect(flag.status == 2)
        #expect(flag.stderr.contains("--accelerate: expected"))
        #expect(try BuiltBinaries.run(BuiltBinaries.soak, ["frobnicate"]).status == 2)
    }

    @Test func profilesListsTheShippedOnes() throws {
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["profiles"])
        #expect(result.status == 0)
        for name in ["quick", "service-lazy-loading", "tenant-lazy-loading", "many-tenants"] {
            #expect(result.stdout.contains(name))
        }
    }
}
