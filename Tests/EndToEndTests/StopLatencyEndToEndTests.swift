import Foundation
import Glibc
import SoakRun
import Testing

/// SIGTERM and `soak stop` end a run within 2 s whatever it is waiting on: seeding a large
/// registry, a day-long cycle in real time, a real-time run between 10-minute samples. Each run
/// ends interrupted with a folder `soak report` can analyse. A few seconds each.
@Suite(.serialized) struct StopLatencyEndToEndTests {
    static let bound: Duration = .seconds(2)

    /// `Profiles/quick.json` on the scaled clock (these runs stop a run that waits in wall time;
    /// the shipped quick is stepped) with `edit` applied, written to a scratch folder.
    func profile(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: BuiltBinaries.packageRoot + "/Profiles/quick.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["clock"] = "scaled"
        edit(&json)
        let path = BuiltBinaries.temporaryFolder("profile") + "/\(name).json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The one run folder under `out`, once it exists.
    func runFolder(in out: String) -> String? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: out))?.filter { !$0.hasPrefix(".") } ?? []
        return entries.count == 1 ? out + "/" + entries[0] : nil
    }

    /// Polls `condition` for up to 60 s.
    func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    /// Whether the run in `folder` has replayed its first cycle (and so sleeps until the next).
    func hasReplayedACycle(_ folder: String) -> Bool {
        let events = (try? String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)) ?? ""
        return events.contains("\"type\":\"request\"")
    }

    /// Runs `soak run ARGUMENTS`, sends SIGTERM once `due(folder)` holds, and returns the run folder
    /// and how long the harness took to exit after the signal.
    func runAndStop(_ arguments: [String], when due: @escaping (String) -> Bool) throws -> (String, Duration) {
        let out = BuiltBinaries.temporaryFolder("stop")
        var sent = ContinuousClock.now
        var signalled = false
        let command = ["run"] + arguments + ["--out", out]
        let result = try BuiltBinaries.run(BuiltBinaries.soak, command, timeout: 120) { process in
            signalled = self.eventually { self.runFolder(in: out).map(due) ?? false }
            sent = ContinuousClock.now
            kill(process.processIdentifier, SIGTERM)
        }
        let latency = ContinuousClock.now - sent
        #expect(signalled, "the run never reached the moment to stop it: \(result.stderr)")
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: INTERRUPTED: stopped by SIGTERM"), "\(result.stdout)")
        return (try #require(runFolder(in: out)), latency)
    }

    /// The folder of an interrupted run holds everything recorded and reports again.
    func expectAnalysable(_ folder: String, stoppedWhere: String) throws {
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.status == .interrupted)
        let reason = manifest.statusReason ?? ""
        #expect(reason.contains("stopped by SIGTERM \(stoppedWhere)"), "\(reason)")
        for file in ["samples.csv", "events.jsonl", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file)")
        }
        let events = try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)
        #expect(events.contains("\"type\":\"interrupted\""), "\(events)")
        let report = try BuiltBinaries.run(BuiltBinaries.soak, ["report", folder])
        #expect(report.status == 3, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout.contains("verdict: INTERRUPTED"), "\(report.stdout)")
    }

    @Test func sigtermDuringSeedingOfALargeRegistry() throws {
        let path = try profile("big-registry") { json in
            var target = json["target"] as! [String: Any]
            var tenantd = target["tenantd"] as! [String: Any]
            // The largest registry a profile may ask for (10,000 artifacts): over a minute of seeding.
            tenantd["tenants"] = 10_000
            tenantd["payloadKB"] = 1
            target["tenantd"] = tenantd
            json["target"] = target
        }
        let (folder, latency) = try runAndStop([path]) { folder in
            // Seeding has written some tenants and is far from done.
            ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/registry/tenants"))?.count ?? 0) > 20
        }
        defer { try? FileManager.default.removeItem(atPath: folder + "/registry") }
        #expect(latency < Self.bound, "\(latency)")
        try expectAnalysable(folder, stoppedWhere: "while seeding the registry")
    }

    @Test func sigtermMidRunAtASlowScale() throws {
        // Real time is the slowest clock a profile may ask for; a day-long cycle is the longest wait.
        let path = try profile("day-cycles") { json in
            json["accelerate"] = 1
            var scenario = json["scenario"] as! [String: Any]
            scenario["interval"] = "1d"
            scenario["duration"] = "10d"
            json["scenario"] = scenario
        }
        let (folder, latency) = try runAndStop([path], when: hasReplayedACycle)
        #expect(latency < Self.bound, "\(latency)")
        try expectAnalysable(folder, stoppedWhere: "after 1 of 10 cycles")
        #expect(try RunManifest.read(from: folder + "/run.json").teardown == .sigterm)
    }

    @Test func sigtermInARealTimeRunBetweenTenMinuteSamples() throws {
        let path = try profile("real-time") { json in
            json["accelerate"] = 1
            var sampling = json["sampling"] as! [String: Any]
            sampling["every"] = "10m"
            json["sampling"] = sampling
        }
        let (folder, latency) = try runAndStop([path], when: hasReplayedACycle)
        #expect(latency < Self.bound, "\(latency)")
        try expectAnalysable(folder, stoppedWhere: "after 1 of 960 cycles")
    }

    @Test func soakStopEndsASlowDetachedRunAtOnce() throws {
        let out = BuiltBinaries.temporaryFolder("stop-detached")
        let started = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "quick", "--detach", "--accelerate", "1", "--out", out], timeout: 60)
        #expect(started.status == 0, "\(started.stdout)\(started.stderr)")
        let folder = try #require(runFolder(in: out))
        #expect(eventually { hasReplayedACycle(folder) })
        let before = ContinuousClock.now
        let stop = try BuiltBinaries.run(BuiltBinaries.soak, ["stop", folder, "--timeout", "10s"], timeout: 60)
        let took = ContinuousClock.now - before
        #expect(stop.status == 3, "\(stop.stdout)\(stop.stderr)")
        #expect(stop.stdout.contains("verdict: INTERRUPTED: stopped by SIGTERM"), "\(stop.stdout)")
        #expect(took < Self.bound, "soak stop took \(took)")
        try expectAnalysable(folder, stoppedWhere: "after 1 of 960 cycles")
    }

    @Test func aRunFolderDeletedMidRunStopsTheRunAtOnceSayingSo() throws {
        // A real-time run between 10-minute samples: without the watch it would measure into
        // unlinked files for 16 hours and only then find nothing to judge.
        let path = try profile("deleted-folder") { json in
            json["accelerate"] = 1
            var sampling = json["sampling"] as! [String: Any]
            sampling["every"] = "10m"
            json["sampling"] = sampling
        }
        let out = BuiltBinaries.temporaryFolder("deleted")
        var deleted = ContinuousClock.now
        var reached = false
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", path, "--out", out], timeout: 120) { _ in
            reached = self.eventually { self.runFolder(in: out).map(self.hasReplayedACycle) ?? false }
            guard let folder = self.runFolder(in: out) else { return }
            deleted = ContinuousClock.now
            try? FileManager.default.removeItem(atPath: folder)
        }
        let latency = ContinuousClock.now - deleted
        #expect(reached, "the run never replayed a cycle: \(result.stderr)")
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("lost its samples.csv during cycle 1 of 960: it was deleted while the run "
            + "went on, so the target was stopped"), "\(result.stderr)")
        #expect(latency < Self.bound, "\(latency)")
        #expect(!FileManager.default.fileExists(atPath: out + "/" + (runFolder(in: out) ?? "-")), "nothing recreated")
    }
}
