import Foundation
import Glibc
import SoakRun
import Testing

/// `soak watch` attached to a server this package did not write (Python's http.server, started
/// here as systemd or a test script would): the same verdicts and exit codes as `soak run`, and the
/// server still running afterwards.
@Suite struct WatchEndToEndTests {
    /// Starts `python3 -m http.server` on a free loopback port and returns it with the port.
    func pythonServer() throws -> (process: Process, port: Int) {
        let scratch = BuiltBinaries.temporaryFolder("watch-python")
        _ = FileManager.default.createFile(atPath: scratch + "/out", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", scratch]
        process.standardOutput = FileHandle(forWritingAtPath: scratch + "/out")
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? ""
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            if let range = text.range(of: " port "),
               let port = Int(text[range.upperBound...].prefix(while: \.isNumber)) {
                return (process, port)
            }
            usleep(20_000)
        }
        stop(process)
        throw CocoaError(.fileReadUnknown)
    }

    /// SIGKILL: a child of the test runner inherits its blocked signal mask, SIGTERM included.
    func stop(_ server: Process) {
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    func summary(in out: String) throws -> RunSummary {
        let folder = try FileManager.default.contentsOfDirectory(atPath: out).first ?? ""
        return try RunSummary.read(from: out + "/" + folder + "/summary.json")
    }

    @Test func watchingAServerItDidNotStartPassesAndLeavesItRunning() throws {
        let (server, port) = try pythonServer()
        defer { stop(server) }
        let out = BuiltBinaries.temporaryFolder("watch-pass")
        let result = try BuiltBinaries.run(BuiltBinaries.soak, [
            "watch", String(server.processIdentifier), "--duration", "4s", "--interval", "1s", "--every", "250ms",
            "--request", "/", "--port", String(port), "--out", out,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: PASS"), "\(result.stdout)")
        #expect(server.isRunning, "soak watch stopped a process it did not start")
        let summary = try summary(in: out)
        #expect(summary.requests.total == 4 && summary.requests.failed == 0, "\(summary.requests)")
        // run.json counts the culprit readings as `soak run`'s does (none here: no stats endpoint).
        let folder = try FileManager.default.contentsOfDirectory(atPath: out).first ?? ""
        #expect(try RunManifest.read(from: out + "/" + folder + "/run.json").culpritReadings == 0)
    }

    @Test func aPathTheServerDoesNotHaveMakesTheWatchInvalid() throws {
        let (server, port) = try pythonServer()
        defer { stop(server) }
        let out = BuiltBinaries.temporaryFolder("watch-404")
        let result = try BuiltBinaries.run(BuiltBinaries.soak, [
            "watch", String(server.processIdentifier), "--duration", "2s", "--interval", "1s", "--every", "250ms",
            "--request", "/missing", "--base-url", "http://127.0.0.1:\(port)", "--out", out,
        ])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: INVALID") && result.stdout.contains("status 404"), "\(result.stdout)")
        #expect(server.isRunning)
    }

    @Test func aProfilesBackgroundLoadRunsBesideTheWatchAndIsCountedApart() throws {
        let (server, port) = try pythonServer()
        defer { stop(server) }
        let out = BuiltBinaries.temporaryFolder("watch-load")
        let profile = out + "/watch-load.json"
        try Data("""
            {"description": "watch under load",
             "target": {"command": {"argv": ["python3", "-m", "http.server", "{port}"], "ready": {"stdoutLine": "Serving"}, "baseURL": "http://127.0.0.1:{port}"}},
             "scenario": {"kind": "plain", "requests": ["/"], "interval": "1s", "duration": "4s",
               "load": {"connections": 2, "perSecond": 20, "requests": ["/"]}},
             "sampling": {"every": "250ms", "minimumWallPeriod": "20ms"}}
            """.utf8).write(to: URL(fileURLWithPath: profile))
        let result = try BuiltBinaries.run(BuiltBinaries.soak, [
            "watch", String(server.processIdentifier), "--profile", profile, "--port", String(port), "--out", out + "/runs",
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("load: 2 connection(s) at 20/s: "), "\(result.stdout)")
        #expect(server.isRunning, "soak watch stopped a process it did not start")
        let summary = try summary(in: out + "/runs")
        // The scenario's 4 requests stand apart from the load's (about 80 in 4 s).
        #expect(summary.requests.total == 4, "\(summary.requests)")
        let totals = try #require(summary.load?.totals)
        #expect(totals.sent >= 20 && totals.failed == 0, "\(totals)")
    }

    @Test func aPidThatDoesNotExistIsBadInput() throws {
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["watch", "2147483", "--duration", "1s"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("soak: watch: no process 2147483"), "\(result.stderr)")
    }
}
