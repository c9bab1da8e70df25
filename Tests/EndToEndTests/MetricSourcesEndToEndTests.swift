import Foundation
import Glibc
import SoakAnalysis
import SoakRun
import Testing

/// `soak run` with declared columns end to end on loopback: a Prometheus series and the glibc
/// preload page each decide a run on their own, and land in samples.csv and summary.json.
@Suite(.serialized) struct MetricSourcesEndToEndTests {
    static func write(_ profile: String, to folder: String) throws -> String {
        let path = folder + "/profile.json"
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func summary(in parent: String) throws -> (RunSummary, String) {
        let entries = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains("-20") }
        let folder = parent + "/" + (try #require(entries.first))
        return (try RunSummary.read(from: folder + "/summary.json"), folder)
    }

    /// A Python server whose reported heap grows 2 KiB per /work request; nothing else grows.
    static let exposition = #"""
        import http.server, sys
        count = 0
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                global count
                if self.path == "/work":
                    count += 1
                    body = b"ok\n"
                else:
                    body = ("# TYPE app_heap_used_bytes gauge\napp_heap_used_bytes %d\n" % (1000000 + 2048 * count)).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
        print("listening", flush=True)
        server.serve_forever()
        """#

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        || ProcessInfo.processInfo.environment["PATH"]?.contains("python") == true))
    func aPrometheusSeriesDecidesTheRun() throws {
        let folder = BuiltBinaries.temporaryFolder("prometheus")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.exposition.write(toFile: folder + "/server.py", atomically: true, encoding: .utf8)
        let profile = try Self.write("""
            {"description": "a Python server whose reported heap grows", "accelerate": 3600,
             "target": {"command": {"argv": ["python3", "\(folder)/server.py", "{port}"],
                "ready": {"stdoutLine": "listening"}, "baseURL": "http://127.0.0.1:{port}",
                "metricsURL": "http://127.0.0.1:{port}/metrics", "metrics": {"app_heap": "app_heap_used_bytes"}}},
             "scenario": {"kind": "plain", "requests": ["/work"], "interval": "3m", "duration": "6h"},
             "sampling": {"every": "1m", "minimumWallPeriod": "20ms"}}
            """, to: folder)
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", profile, "--out", folder + "/runs"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("verdict: LEAK: app_heap leaks"), "\(result.stdout)")
        let (summary, run) = try Self.summary(in: folder + "/runs")
        let heap = try #require(summary.metric(Metric(declared: "app_heap", unit: .bytes, decides: true)))
        #expect(heap.verdict == .leak && heap.unit == .bytes && heap.decides)
        let header = try String(contentsOfFile: run + "/samples.csv", encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.hasSuffix(",app_heap,cgroup_anon,cgroup_usage,cgroup_file"), "\(header)")
        // soak report re-judges the folder from its profile copy alone, declared column included.
        let report = try BuiltBinaries.run(BuiltBinaries.soak, ["report", run])
        #expect(report.status == 1 && report.stdout.contains("app_heap"), "\(report.status): \(report.stdout)\(report.stderr)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cc")))
    func theGlibcPreloadFindsALeakRSSCannotSee() throws {
        let folder = BuiltBinaries.temporaryFolder("glibc")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let compile = try BuiltBinaries.run("/usr/bin/cc", [
            "-O2", "-o", folder + "/sawtooth", BuiltBinaries.packageRoot + "/ci/targets/sawtooth.c"])
        try #require(compile.status == 0, "\(compile.stderr)")
        let profile = try Self.write("""
            {"description": "a 4 MiB sawtooth keeping 1 KiB per cycle", "accelerate": 3600,
             "target": {"command": {"argv": ["\(folder)/sawtooth", "--sawtooth-mib", "4", "--leak-bytes", "1024"],
                "ready": {"stdoutLine": "ready"}, "timeScaleFlag": "--time-scale", "heap": "glibc"}},
             "scenario": {"kind": "sample-only", "interval": "3m", "duration": "6h"},
             "sampling": {"every": "30s", "minimumWallPeriod": "5ms", "troughs": false}}
            """, to: folder)
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", profile, "--out", folder + "/runs"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let (summary, run) = try Self.summary(in: folder + "/runs")
        let heap = try #require(summary.metric(DeclaredColumnsForTest.glibcInUse))
        #expect(heap.verdict == .leak)
        #expect(summary.metric(.rss)?.verdict == .pass)
        #expect(FileManager.default.fileExists(atPath: run + "/heap-pages"))
    }

    /// The sampled allocation stacks name the leaking function of a C server and not the
    /// sawtooth beside it, symbolized from a binary built without debug info.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cc")))
    func allocationStacksNameTheLeakingFunction() throws {
        let folder = BuiltBinaries.temporaryFolder("stacks")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let compile = try BuiltBinaries.run("/usr/bin/cc", [
            "-O2", "-o", folder + "/stack-leak", BuiltBinaries.packageRoot + "/ci/targets/stack-leak.c"])
        try #require(compile.status == 0, "\(compile.stderr)")
        let profile = try Self.write("""
            {"description": "256 B per request from remember_session beside a 1 MiB sawtooth",
             "target": {"command": {"argv": ["\(folder)/stack-leak", "--port", "{port}", "--leak-bytes", "256",
                "--sawtooth-mib", "1"], "ready": {"stdoutLine": "ready"}, "baseURL": "http://127.0.0.1:{port}",
                "heap": {"kind": "glibc", "stacks": true, "sampleEvery": "1KiB"}}},
             "scenario": {"kind": "plain", "requests": ["/cycle"], "interval": "40ms", "duration": "6s"},
             "sampling": {"every": "1s"}}
            """, to: folder)
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", profile, "--out", folder + "/runs"])
        #expect(result.stdout.contains("growing: remember_session (stack-leak)"), "\(result.stdout)\n\(result.stderr)")
        let (summary, _) = try Self.summary(in: folder + "/runs")
        let growing = (summary.culprits ?? []).filter(\.growing)
        #expect(growing.first?.frames.first == "remember_session (stack-leak)", "\(growing.map(\.frames))")
        #expect(!(summary.culprits ?? []).contains { $0.frames.contains { $0.hasPrefix("build_sawtooth") } && $0.growing })
    }
}

enum DeclaredColumnsForTest {
    static let glibcInUse = Metric(declared: "glibc_heap_in_use", unit: .bytes, decides: true)
}
