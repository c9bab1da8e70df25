import Foundation
import Glibc
import MiniHTTP
import SoakAnalysis
import SoakCLI
import SoakProfiles
import SoakReports
import SoakRun
import SoakUnits
import Testing

/// Long runs as a person drives them: `soak run --detach`, `soak status`, `soak stop`, a killed
/// harness, `/metrics` while running, and a folder that only one harness may own. Each run is a
/// short accelerated one (6 simulated hours at 3600x: 6 s at most) that ends by itself even if a
/// test fails half-way.
@Suite(.serialized) struct LongRunEndToEndTests {
    /// A started detached run: its folder, harness pid, and the parent's output.
    struct Detached {
        var folder: String
        var pid: Int32
        var stdout: String
    }

    func detach(_ name: String, extra: [String] = []) throws -> Detached {
        let out = BuiltBinaries.temporaryFolder(name)
        let started = ContinuousClock.now
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak,
            ["run", "quick", "--detach", "--accelerate", "3600", "--duration", "6h", "--out", out] + extra,
            timeout: 30)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // It returns once the run owns its folder: well before the 6 s run could end.
        #expect(ContinuousClock.now - started < .seconds(5))
        let folder = try #require(line(result.stdout, after: "run folder: "), "\(result.stdout)")
        let pidText = try #require(line(result.stdout, after: "harness pid: "), "\(result.stdout)")
        let pid = try #require(Int32(pidText.prefix { $0.isNumber }))
        #expect(try String(contentsOfFile: folder + "/soak.pid", encoding: .utf8) == "\(pid)\n")
        #expect(result.stdout.contains("soak stop \(folder)"))
        return Detached(folder: folder, pid: pid, stdout: result.stdout)
    }

    func line(_ text: String, after prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// Polls `soak status` until the run has replayed `cycles` cycles (or `deadline` passes).
    func statusOnceProgressed(_ folder: String, cycles: Int = 5) throws -> BuiltBinaries.Result {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let status = RunStatus.read(from: folder + "/status.json"), status.progress.cycle >= cycles { break }
            usleep(50_000)
        }
        return try BuiltBinaries.run(BuiltBinaries.soak, ["status", folder], timeout: 30)
    }

    @Test func detachedRunIsFollowedByStatusAndEndedByStop() throws {
        let run = try detach("detach")
        let status = try statusOnceProgressed(run.folder)
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.hasPrefix("state: running"), "\(status.stdout)")
        #expect(status.stdout.contains("progress: "), "\(status.stdout)")
        #expect(status.stdout.contains("integrity: "), "\(status.stdout)")
        #expect(status.stdout.contains("harness: pid \(run.pid)"), "\(status.stdout)")

        // A second harness cannot take the folder the first one owns.
        let second = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "quick", "--run-folder", run.folder, "--duration", "6h"], timeout: 30)
        #expect(second.status == 2, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("in use by another soak run (harness pid \(run.pid))"), "\(second.stderr)")

        let stop = try BuiltBinaries.run(BuiltBinaries.soak, ["stop", run.folder], timeout: 90)
        let summary = try RunSummary.read(from: run.folder + "/summary.json")
        if summary.status == .completed {
            // A slow machine may finish the 6 s run before the stop lands: then it ends completed.
            #expect(stop.stdout.contains("state: completed"), "\(stop.stdout)")
        } else {
            #expect(stop.status == 3, "\(stop.stdout)\(stop.stderr)")
            #expect(summary.verdict == .interrupted)
            #expect(stop.stdout.contains("state: interrupted"), "\(stop.stdout)")
            #expect(stop.stdout.contains("verdict: INTERRUPTED: stopped by SIGTERM"), "\(stop.stdout)")
        }
        for file in ["run.json", "samples.csv", "events.jsonl", "status.json", "soak.log"] {
            #expect(FileManager.default.fileExists(atPath: "\(run.folder)/\(file)"), "\(file)")
        }
        #expect(RunStatus.read(from: run.folder + "/status.json")?.phase == .ended)
        // Once ended, status gives the final verdict with its exit code.
        let after = try BuiltBinaries.run(BuiltBinaries.soak, ["status", run.folder])
        #expect(after.status == summary.verdict.exitCode.rawValue, "\(after.stdout)")
        #expect(after.stdout.contains("verdict: \(summary.verdict.rawValue.uppercased())"), "\(after.stdout)")
    }

    @Test func aKilledHarnessIsReportedAsKilledAndStillAnalysable() throws {
        let run = try detach("killed")
        _ = try statusOnceProgressed(run.folder)
        #expect(kill(run.pid, SIGKILL) == 0)
        // The kernel drops the lock as the process dies; wait for that, bounded.
        let deadline = Date().addingTimeInterval(10)
        while RunLock.isHeld(RunFolder(path: run.folder)), Date() < deadline { usleep(10_000) }

        let status = try BuiltBinaries.run(BuiltBinaries.soak, ["status", run.folder])
        #expect(status.status == 3, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("state: killed"), "\(status.stdout)")
        #expect(status.stdout.contains("the harness (pid \(run.pid)) was killed; the folder holds everything "
            + "recorded up to cycle"), "\(status.stdout)")
        #expect(status.stdout.contains("run soak report \(run.folder) to analyse it"), "\(status.stdout)")

        let stop = try BuiltBinaries.run(BuiltBinaries.soak, ["stop", run.folder])
        #expect(stop.status == 3)
        #expect(stop.stdout.contains("was killed"), "\(stop.stdout)")

        let report = try BuiltBinaries.run(BuiltBinaries.soak, ["report", run.folder])
        #expect(report.status == 3, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout.contains("it was killed"), "\(report.stdout)")
        #expect(try RunSummary.read(from: run.folder + "/summary.json").verdict == .interrupted)
    }

    @Test func metricsAreServedOnLoopbackWhileTheRunGoes() throws {
        let run = try detach("metrics", extra: ["--metrics-listen", "127.0.0.1:0"])
        defer { _ = try? BuiltBinaries.run(BuiltBinaries.soak, ["stop", run.folder], timeout: 90) }
        let url = try #require(line(run.stdout, after: "metrics: "), "\(run.stdout)")
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/metrics"), "\(url)")
        _ = try statusOnceProgressed(run.folder)

        let response = try HTTPClient.get(url: url, timeout: .seconds(5))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        let text = response.bodyText
        for family in ["soak_target_rss_bytes", "soak_target_heap_in_use_bytes", "soak_target_open_fds",
                       "soak_harness_rss_bytes", "soak_target_cpu_seconds_total", "soak_cycles_total",
                       "soak_requests_total", "soak_integrity_ratio", "soak_simulated_seconds"] {
            #expect(text.contains("# TYPE \(family) "), "\(family) in\n\(text)")
        }
        #expect(text.contains(#"profile="quick""#))
        #expect(text.contains(#"soak_requests_total{profile="quick",run=""#))
        let notFound = try HTTPClient.get(url: url.replacingOccurrences(of: "/metrics", with: "/nope"))
        #expect(notFound.status == 404)

        let bad = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--metrics-listen", "127.0.0.1"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--metrics-listen: bad address \"127.0.0.1\""), "\(bad.stderr)")
    }
}
