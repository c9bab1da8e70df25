import Foundation
import Testing
import SoakUnits
@testable import TenantRuntime

@Suite struct RuntimeFrontTests {
    @Test func invokeCarriesWhatTheRequestFound() throws {
        let fixture = try TemporaryRegistry()
        let front = RuntimeFront(host: fixture.host(clock: ManualClock()))
        let cold = front.respond(method: "GET", path: "/t/t1/a1.service")
        #expect(cold.status == 200)
        #expect(cold.header("x-tenant-was") == "unloaded")
        #expect(cold.header("X-Artifact-Was") == "ghost")
        #expect(Double(cold.header("X-Load-Millis") ?? "") != nil)
        let warm = front.respond(method: "GET", path: "/t/t1/a1.service/status")
        #expect(warm.header("X-Tenant-Was") == "loaded")
        #expect(warm.header("X-Artifact-Was") == "actual")
    }

    @Test func statsAreJSONWithHeapAndCounts() throws {
        let fixture = try TemporaryRegistry()
        let front = RuntimeFront(host: fixture.host(clock: ManualClock()))
        _ = front.respond(method: "GET", path: "/t/t2/a2.service")
        let stats = front.respond(method: "GET", path: "/_runtime/stats")
        #expect(stats.header("Content-Type") == "application/json")
        let object = try JSONSerialization.jsonObject(with: Data(stats.body)) as! [String: Any]
        #expect(object["tenants_loaded"] as? Int == 1)
        #expect(object["artifacts_actual"] as? Int == 1)
        #expect(object["artifacts_ghost"] as? Int == 1)
        #expect((object["heap_in_use_bytes"] as? Int ?? 0) > 0)
        #expect((object["live_instances"] as? [String: Int])?["Tenant"] == 1)
        #expect((object["open_descriptors"] as? Int ?? 0) >= 3)
        #expect((object["threads"] as? Int ?? 0) >= 1)
    }

    @Test(arguments: [
        ("POST", "/t/t1/a1.service", 405), ("GET", "/nothing", 404), ("GET", "/t/", 400),
        ("GET", "/t/t1", 400), ("GET", "/t//a1.service", 400), ("GET", "/t/../a1.service", 400),
        ("GET", "/_runtime/health", 200),
    ])
    func badRoutesGetA4xxWithAMessage(method: String, path: String, status: Int) throws {
        let fixture = try TemporaryRegistry()
        let response = RuntimeFront(host: fixture.host(clock: ManualClock())).respond(method: method, path: path)
        #expect(response.status == status)
        #expect(!response.body.isEmpty)
    }

    @Test func millisecondsFormatting() {
        #expect(RuntimeFront.millis(0) == "0.000")
        #expect(RuntimeFront.millis(12.3456) == "12.346")
        #expect(RuntimeFront.millis(1.05) == "1.050")
    }
}

@Suite struct TenantdCommandLineTests {
    @Test func serveFlags() throws {
        let command = try TenantdCommand.parse([
            "--registry", "/r", "--time-scale", "1440", "--artifact-idle", "1m", "--tenant-idle", "1h30m",
            "--sweep-every", "250ms", "--eager", "*,!t7", "--no-ghost", "--inject-leak", "fd", "--leak-bytes", "256",
        ])
        guard case .serve(let options) = command else { Issue.record("expected serve"); return }
        #expect(options.registry == "/r")
        #expect(options.timeScale == 1440)
        #expect(options.runtime.artifactIdle == .seconds(60))
        #expect(options.runtime.tenantIdle == .seconds(5400))
        #expect(options.runtime.sweepEvery == .milliseconds(250))
        #expect(options.runtime.eager.contains(try RegistryName("t1")))
        #expect(!options.runtime.ghostDeployment)
        #expect(options.runtime.injectedLeak == .fd)
        #expect(options.runtime.leakBytes == 256)
    }

    @Test func connectionLimitFlags() throws {
        let command = try TenantdCommand.parse([
            "--registry", "/r", "--max-connections", "64", "--connection-idle", "45s",
            "--header-timeout", "2s", "--max-incomplete", "16",
        ])
        guard case .serve(let options) = command else { Issue.record("expected serve"); return }
        #expect(options.maxConnections == 64)
        #expect(options.connectionIdle == .seconds(45))
        #expect(options.headerTimeout == .seconds(2))
        #expect(options.maxIncompleteConnections == 16)
    }

    @Test(arguments: [
        (["--time-scale", "1e308"], "--time-scale: at most 1000000, found 1e+308"),
        (["--leak-bytes", "9223372036854775807"], "--leak-bytes: at most 1073741824, found 9223372036854775807"),
        (["--max-connections", "99999999999999999999"], "--max-connections: at most 1000000, found 99999999999999999999"),
    ])
    func valuesPastTheStatedLimitsAreRefusedNotTrapped(flags: [String], message: String) {
        #expect(throws: UsageError(message)) { try TenantdCommand.parse(["--registry", "/r"] + flags) }
    }

    /// What soak's profiles allow, tenantd must take: `leakBytes: 0` in a profile became
    /// `--leak-bytes 0`, which an earlier limit refused, so the target never started.
    @Test func theLowestValuesAProfileAllowsAreTaken() throws {
        guard case .serve(let options) = try TenantdCommand.parse(["--registry", "/r", "--leak-bytes", "0"]) else {
            Issue.record("expected serve"); return
        }
        #expect(options.runtime.leakBytes == 0)
    }

    @Test func seedSizesPastTheStatedLimitsAreRefused() {
        #expect(throws: UsageError("--payload-kb: at most 1048576, found 9223372036854775807")) {
            try TenantdCommand.parse(["seed", "--payload-kb", "9223372036854775807", "/tmp/x"])
        }
        #expect(throws: UsageError("--tenants: at most 1000000, found 10000000")) {
            try TenantdCommand.parse(["seed", "--tenants", "10000000", "/tmp/x"])
        }
    }

    @Test func defaultsFollowTheDesign() throws {
        guard case .serve(let options) = try TenantdCommand.parse(["--registry", "r"]) else { return }
        #expect(options.listen == "127.0.0.1:0")
        #expect(options.runtime.tenantIdle == .seconds(1800))
        #expect(options.runtime.artifactIdle == .seconds(600))
        #expect(options.runtime.sweepEvery == .seconds(60))
        #expect(options.runtime.eager.isEmpty)
        #expect(options.maxConnections == 256)
        #expect(options.headerTimeout == .seconds(10))
        #expect(options.maxIncompleteConnections == nil, "nil: the server's default, half the connections")
    }

    @Test func seedCommand() throws {
        guard case .seed(let options) = try TenantdCommand.parse(
            ["seed", "--tenants", "5", "--artifacts", "3", "--kind", "webapp", "--payload-kb", "16", "out"])
        else { Issue.record("expected seed"); return }
        #expect(options.folder == "out")
        #expect(options.seeder.tenants == 5)
        #expect(options.seeder.kind == .webapp)
        #expect(options.seeder.path(tenant: 2, artifact: 3) == "/t/t2/a3.webapp")
    }

    @Test(arguments: [
        (["--time-scale", "fast", "--registry", "r"], "--time-scale: expected"),
        (["--registry", "r", "--artifact-idle", "soon"], "expected a duration like 90s"),
        (["--registry", "r", "--inject-leak", "memory"], "expected one of retain-cycle"),
        (["--registry", "r", "--bogus"], "unknown option --bogus"),
        (["--registry", "r", "--header-timeout", "0s"], "--header-timeout: expected a duration above zero"),
        (["--registry", "r", "--max-incomplete", "0"], "--max-incomplete: at least 1, found 0"),
        ([], "--registry DIR is required"),
        (["--registry"], "--registry needs a value"),
        (["--registry", "r", "--eager", "../x"], "--eager: name"),
        (["seed", "--tenants", "0", "x"], "--tenants: at least 1, found 0"),
        (["seed", "--kind", "jar", "x"], "--kind: expected service or webapp"),
        (["seed", "--tenants", "2"], "seed needs a folder"),
    ])
    func usageErrorsSayWhatIsWrong(arguments: [String], message: String) {
        do {
            _ = try TenantdCommand.parse(arguments)
            Issue.record("expected a usage error for \(arguments)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func durationsReadAsTheHarnessWritesThem() throws {
        for text in ["90s", "8d", "1h30m", "250ms", "1.5m", "1µs", "1us", "41.7ms", "41666667ns"] {
            let arguments = ["--registry", "r", "--artifact-idle", text]
            guard case .serve(let options) = try TenantdCommand.parse(arguments) else { Issue.record("serve"); return }
            #expect(options.runtime.artifactIdle == DurationText.parse(text), "\(text)")
        }
        for bad in ["", "m", "3", "3x", "-1s", "1m-", "30m1h"] {
            #expect(throws: (any Error).self, "\(bad)") {
                try TenantdCommand.parse(["--registry", "r", "--artifact-idle", bad])
            }
        }
    }

    /// Every duration `soak` can print, `tenantd` must read, and the exact form must read back
    /// unchanged: the launch plan hands profile durations to `tenantd` as flags.
    @Test(arguments: [
        Duration.nanoseconds(1), .nanoseconds(850), .microseconds(1), .nanoseconds(12_500), .milliseconds(41),
        .nanoseconds(41_666_667), .seconds(1.25), .seconds(59.999), .seconds(90), .seconds(3600 + 1),
        .seconds(8 * 86_400), .seconds(2 * 86_400 + 3 * 3600 + 4 * 60 + 5), .seconds(1) / 3,
    ])
    func everyPrintedDurationParsesOnTheOtherSide(duration: Duration) throws {
        for text in [DurationText.format(duration), DurationText.format(duration, maxUnits: 2)] {
            guard case .serve = try TenantdCommand.parse(["--registry", "r", "--tenant-idle", text]) else {
                Issue.record("serve"); return
            }
        }
        let exact = DurationText.exact(duration)
        guard case .serve(let options) = try TenantdCommand.parse(["--registry", "r", "--sweep-every", exact]) else {
            Issue.record("serve"); return
        }
        let (seconds, attoseconds) = duration.components
        let wholeNanoseconds = Duration.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        #expect(options.runtime.sweepEvery == wholeNanoseconds, "\(exact)")
    }
}
