import Foundation
import SoakRun
import Testing

/// `scenario.load` on loopback against a server this package did not write (Python's
/// http.server, in ci/targets/py_orders_server.py): the harness's own load and a load command
/// run beside the scenario, are counted apart from it, and a load that reaches nothing is INVALID.
@Suite struct LoadEndToEndTests {
    /// Runs `soak run` on the orders server with `load`; returns the result and the run folder.
    func run(_ name: String, load: String) throws -> (result: BuiltBinaries.Result, folder: String) {
        let folder = BuiltBinaries.temporaryFolder(name)
        let profile = """
            {"description": "\(name)", "accelerate": 20,
             "target": {"command": {"argv": ["python3", "ci/targets/py_orders_server.py", "--port", "{port}"],
               "ready": {"stdoutLine": "listening on"}, "baseURL": "http://127.0.0.1:{port}"}},
             "scenario": {"kind": "plain", "requests": ["/orders"], "interval": "1s", "duration": "30s",
               "load": \(load)},
             "sampling": {"every": "1s", "minimumWallPeriod": "20ms"}, "limits": {"teardownGrace": "1s"}}
            """
        try Data(profile.utf8).write(to: URL(fileURLWithPath: folder + "/\(name).json"))
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", folder + "/\(name).json", "--out", folder + "/runs"])
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/runs")) ?? []
        return (result, folder + "/runs/" + (runs.first ?? "none"))
    }

    @Test func theHarnessesOwnLoadIsCountedApartFromTheScenario() throws {
        let (result, folder) = try run("own-load", load: #"""
            {"connections": 2, "perSecond": 40, "requests": ["/orders",
             {"method": "POST", "path": "/orders", "headers": {"Content-Type": "application/json"},
              "body": "{\"item\": \"tea\", \"quantity\": 1}", "expect": [201]}]}
            """#)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let summary = try RunSummary.read(from: folder + "/summary.json")
        // The scenario's own counts hold only its 30 requests; the load's are apart (about 60 in 1.5 s).
        #expect(summary.requests.total == 30 && summary.integrity.validCycles == 30)
        let totals = try #require(summary.load?.totals)
        #expect(totals.sent >= 20 && totals.failed == 0, "\(totals)")
        #expect(totals.latencyP50Milliseconds != nil && totals.latencyP99Milliseconds != nil)
        #expect(result.stdout.contains("load: 2 connection(s) at 40/s: \(totals.sent) sent, 0 failed"), "\(result.stdout)")
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.load?.totals == totals)
    }

    @Test func aLoadCommandRunsBesideTheTargetAndIsSampledApart() throws {
        let script = "import sys, time, urllib.request\n"
            + "while True:\n    urllib.request.urlopen(sys.argv[1] + '/orders').read()\n    time.sleep(0.01)\n"
        let argv = try String(decoding: JSONSerialization.data(withJSONObject: ["python3", "-c", script, "{baseURL}"]),
                              as: UTF8.self)
        let (result, folder) = try run("load-command", load: #"{"command": \#(argv)}"#)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let manifest = try RunManifest.read(from: folder + "/run.json")
        let load = try #require(manifest.load)
        #expect(load.command?.last?.hasPrefix("http://127.0.0.1:") == true && load.pid != nil && !load.endedEarly)
        #expect(FileManager.default.fileExists(atPath: folder + "/load.stderr.log"))
        let samples = try String(contentsOfFile: folder + "/samples.csv", encoding: .utf8)
        let header = samples.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(header.contains("load_rss") && header.contains("load_threads"))
        // Sampled: python's RSS is megabytes, in the load's column, never in the target's tree.
        let column = try #require(header.firstIndex(of: "load_rss"))
        let values = samples.split(separator: "\n").dropFirst().compactMap {
            Double($0.split(separator: ",", omittingEmptySubsequences: false)[column])
        }
        #expect(values.contains { $0 > 1_000_000 }, "\(values.prefix(5))")
        #expect(result.stdout.contains("load: python3 -c"), "\(result.stdout)")
    }

    @Test func aLoadThatReachesNothingIsInvalidNeverPass() throws {
        let (result, folder) = try run(
            "load-404", load: #"{"perSecond": 20, "requests": [{"path": "/nowhere", "expect": [200]}]}"#)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: INVALID: the background load reached nothing: none of its "),
                "\(result.stdout)")
        #expect(result.stdout.contains("(first failure: GET /nowhere: status 404, expected 200)"))
        let summary = try RunSummary.read(from: folder + "/summary.json")
        #expect(summary.verdict == .invalid && summary.requests.failed == 0)
    }

    @Test func aLoadProgramThatDoesNotExistIsRefusedBeforeTheStart() throws {
        let (result, _) = try run("load-missing", load: #"{"command": ["no-such-load-tool", "{baseURL}"]}"#)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(#"scenario.load.command[0]: expected a program on PATH or a file, found "#
            + #""no-such-load-tool": no such program"#), "\(result.stderr)")
    }

    @Test func aLoadProgramThatCannotStartIsNamedNotTheTarget() throws {
        // On PATH and executable, so the validator lets it through, but not a program the
        // kernel can run: the launch fails after the target is ready.
        let tool = BuiltBinaries.temporaryFolder("load-broken") + "/broken-load-tool"
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: URL(fileURLWithPath: tool))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool)
        let (result, folder) = try run("load-broken", load: #"{"command": ["\#(tool)", "{baseURL}"]}"#)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: INVALID: the background load never started (scenario.load.command: "),
                "\(result.stdout)")
        #expect(!result.stdout.contains("never became ready"), "\(result.stdout)")
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.load?.startFailure?.hasPrefix("scenario.load.command: ") == true)
    }
}
