import Foundation
import Glibc
import MiniHTTP
import SoakRun
import Testing

/// The built `soak` against a built `tenantd fleet`, and `soak analyze --prometheus` against a
/// loopback server answering with recorded query_range bodies.
@Suite(.serialized) struct FleetSoakEndToEndTests {
    static let profile = """
        {
          "description": "a small fleet soak",
          "accelerate": 1800,
          "target": {"tenantd": {
            "tenants": 30, "artifactsPerTenant": 1, "payloadKB": 4,
            "tenantIdle": "10m", "artifactIdle": "5m", "sweepEvery": "30s",
            "fleet": {"nodes": 2, "minNodes": 2, "maxNodes": 3, "scaleWindow": "1m"}
          }},
          "scenario": {
            "kind": "many-tenants", "requests": ["/t/{tenant}/{artifact}"], "interval": "3m", "duration": "3h",
            "churn": {"tenants": 30, "artifactsPerTenant": 1, "activeTenants": 10, "changeEvery": "30m", "seed": 5}
          },
          "sampling": {"every": "1m", "minimumWallPeriod": "20ms", "troughs": true}
        }
        """

    @Test func aFleetSoakRecordsEachProcessAndChecksTheFleetAtTheEnd() throws {
        let out = BuiltBinaries.temporaryFolder("fleet-soak")
        let file = out + "/fleet-small.json"
        try Self.profile.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", file, "--out", out + "/runs"], timeout: 180)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/runs")
        let folder = out + "/runs/" + (try #require(runs.first))
        let lines = try String(contentsOfFile: folder + "/samples.csv", encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for column in ["front_rss", "front_rss_anon", "node0_rss_anon", "node1_rss_anon", "node2_rss", "node1_pid"] {
            #expect(header.contains(column), "\(column)")
        }
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let front = try #require(header.firstIndex(of: "front_rss"))
        let node0 = try #require(header.firstIndex(of: "node0_pid"))
        #expect(rows.filter { !$0[front].isEmpty }.count > rows.count / 2)
        #expect(rows.filter { !$0[node0].isEmpty }.count > rows.count / 2)
        let manifest = try RunManifest.read(from: folder + "/run.json")
        let fleet = try #require(manifest.fleet)
        #expect(fleet.problems.isEmpty, "\(fleet.problems)")
        #expect(fleet.nodeProcessesSeen >= 2)
        #expect((10...30).contains(fleet.tenantsSeen))
        #expect(!fleet.balanceChecked, "30 tenants over 2 nodes is too few for the 25% bound to be a fair test")
        #expect(result.stdout.contains("front_rss_anon"), "\(result.stdout)")
    }

    @Test func analyzePrometheusExitsByTheWorstSeries() throws {
        let fixtures = BuiltBinaries.packageRoot + "/Tests/SoakTests/Fixtures/prometheus/query_range/"
        let server = HTTPServer { request in
            let name = request.query.flatMap { query in
                query.split(separator: "&").first { $0.hasPrefix("query=") }.map { String($0.dropFirst(6)) }
            } ?? ""
            guard let body = FileManager.default.contents(atPath: fixtures + name + ".json") else {
                return HTTPResponse(status: 404, text: "404 page not found\n")
            }
            return HTTPResponse(status: name.contains("error") ? 400 : 200, json: Array(body))
        }
        let address = try server.start()
        defer { server.shutdown(graceWall: .seconds(2)) }
        func analyze(_ query: String) throws -> BuiltBinaries.Result {
            try BuiltBinaries.run(BuiltBinaries.soak, [
                "analyze", "--prometheus", "http://\(address)", "--query", query,
                "--start", "1764748800", "--end", "1764755940", "--step", "60s",
            ])
        }
        let leak = try analyze("fleet-front-grows")
        #expect(leak.status == 1, "\(leak.stderr)")
        #expect(leak.stdout.contains(#""verdict" : "leak""#))
        #expect(leak.stderr.contains(#"LEAK         process_resident_memory_bytes{instance="127.0.0.1:9100",job="fleet",role="front"}"#),
                "\(leak.stderr)")
        #expect(try analyze("fleet-flat").status == 0)
        let empty = try analyze("recorded-empty")
        #expect(empty.status == 3)
        #expect(empty.stderr.contains("matched no series"), "\(empty.stderr)")
        let nan = try analyze("recorded-nan")
        #expect(nan.status == 3)
        let refused = try analyze("recorded-error-bad-data")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("unclosed left parenthesis"), "\(refused.stderr)")
        #expect(try analyze("recorded-instant-vector").status == 2)
        let https = try BuiltBinaries.run(BuiltBinaries.soak, [
            "analyze", "--prometheus", "https://\(address)", "--query", "up", "--start", "now-1h", "--end", "now",
            "--step", "15s",
        ])
        #expect(https.status == 2)
        #expect(https.stderr.contains("https is not supported"))
        let missing = try BuiltBinaries.run(BuiltBinaries.soak, ["analyze", "--prometheus", "http://\(address)"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--query PROMQL is required"), "\(missing.stderr)")
    }
}
