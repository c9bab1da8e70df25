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

/// Spawns the built `tenantd` on 127.0.0.1 with a scaled clock and drives it through its real
/// HTTP front.
@Suite(.serialized) struct TenantdEndToEndTests {
    @Test func artifactGoesGhostActualGhostActualAcrossIdlePeriods() throws {
        let folder = BuiltBinaries.temporaryFolder("tenantd")
        let seeded = try BuiltBinaries.run(BuiltBinaries.tenantd, ["seed", "--tenants", "2", "--artifacts", "2", folder + "/registry"])
        #expect(seeded.status == 0, "\(seeded.stderr)")

        // At 600x a simulated minute lasts 100 ms of wall time.
        let target = try TargetProcess.launch(LaunchSpec(
            executable: BuiltBinaries.tenantd,
            arguments: ["--registry", folder + "/registry", "--time-scale", "600", "--artifact-idle", "1m",
                        "--tenant-idle", "10m", "--sweep-every", "5s"],
            stdoutPath: folder + "/out.log", stderrPath: folder + "/err.log"))
        defer { _ = target.terminate(grace: .seconds(5)) }
        let line = try #require(target.waitForLine(containing: "listening on 127.0.0.1:", timeout: .seconds(20)))
        let address = try SocketAddress(parsing: String(line.dropFirst("listening on ".count)))
        let client = HTTPClient(address: address)
        defer { client.close() }

        func found() throws -> (String?, String?) {
            let response = try client.get("/t/t1/a1.service")
            #expect(response.status == 200)
            return (response.headers["X-Tenant-Was"], response.headers["X-Artifact-Was"])
        }
        #expect(try found() == ("unloaded", "ghost"))
        #expect(try found() == ("loaded", "actual"))
        usleep(400_000)  // four simulated minutes: idle past 1m, swept every 5 s
        #expect(try found() == ("loaded", "ghost"))
        #expect(try found() == ("loaded", "actual"))

        let stats = try client.get("/_runtime/stats")
        let json = try JSONSerialization.jsonObject(with: Data(stats.body)) as! [String: Any]
        #expect(json["artifact_deploys_total"] as? Int == 2)
        #expect((json["artifact_ghostings_total"] as? Int ?? 0) >= 1)
        #expect((json["simulated_seconds"] as? Double ?? 0) > 200)
        #expect(json["time_scale"] as? Double == 600)
    }

    @Test func malformedInputGetsA4xxAndTheProcessKeepsServing() throws {
        let folder = BuiltBinaries.temporaryFolder("tenantd-bad")
        _ = try BuiltBinaries.run(BuiltBinaries.tenantd, ["seed", "--tenants", "1", "--artifacts", "1", folder + "/registry"])
        let target = try TargetProcess.launch(LaunchSpec(
            executable: BuiltBinaries.tenantd, arguments: ["--registry", folder + "/registry"],
            stdoutPath: folder + "/out.log", stderrPath: folder + "/err.log"))
        let line = try #require(target.waitForLine(containing: "listening on", timeout: .seconds(20)))
        let address = try SocketAddress(parsing: String(line.dropFirst("listening on ".count)))

        for garbage in ["GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nHost: \(String(repeating: "a", count: 20000))\r\n\r\n"] {
            let socket = try ConnectedSocket.connect(to: address, deadline: .now + .seconds(5))
            try socket.send(Array(garbage.utf8), deadline: .now + .seconds(5))
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0, deadline: .now + .seconds(5)) }
            let head = String(decoding: buffer[..<count], as: UTF8.self)
            #expect(head.hasPrefix("HTTP/1.1 4") || head.hasPrefix("HTTP/1.1 5"), "\(head)")
            try? socket.close()
        }
        let client = HTTPClient(address: address)
        #expect(try client.get("/t/..%2F/a").status == 400)
        #expect(try client.get("/t/t1/a1.service").status == 200)
        client.close()
        #expect(target.exit == nil)
        let teardown = target.terminate(grace: .seconds(5))
        #expect(teardown.step == .sigterm)
        #expect(teardown.exit == .exited(status: 0), "SIGTERM shuts down gracefully")
    }

    @Test func badFlagsExitWithUsageStatus() throws {
        let result = try BuiltBinaries.run(BuiltBinaries.tenantd, ["--registry", "/nonexistent", "--time-scale", "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--time-scale: expected"))
        let missing = try BuiltBinaries.run(BuiltBinaries.tenantd, ["--registry", "/nonexistent"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not a registry"))
    }
}
