import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

/// Every rule a profile is checked against, each producing the message a person needs.
@Suite struct ProfileValidationTests {
    @Test func theBaseDraftsLoad() {
        #expect(ProfileTesting.errors(ProfileDraft.serviceGhost.json) == [])
        #expect(ProfileTesting.errors(ProfileDraft.manyTenants.json) == [])
    }

    /// (field path, new value as JSON or nil to remove, the whole expected error line after the file name)
    @Test(arguments: [
        ("scenario.interval", #""three""#, #"scenario.interval: expected a duration like 3m, found "three""#),
        ("scenario.interval", "180", "scenario.interval: expected a duration like 3m, found 180"),
        ("scenario.interval", #""0s""#, "scenario.interval: expected a duration above zero, found 0s"),
        ("scenario.interval", nil, "scenario.interval: missing; expected a duration like 3m"),
        ("scenario.duration", #""1m""#, "scenario.duration: expected at least scenario.interval (3m), found 1m"),
        ("scenario.duration", nil, "scenario.duration: missing; expected a duration like 8d"),
        ("scenario.kind", nil,
            "scenario.kind: missing; expected one of service-ghost, tenant-unload, many-tenants, plain, sample-only"),
        ("scenario.kind", #""ghost""#, "scenario.kind: expected one of service-ghost, tenant-unload, many-tenants, "
            + #"plain, sample-only, found "ghost""#),
        ("scenario.warmup", #""3d""#, "scenario.warmup: expected less than scenario.duration (2d), found 3d"),
        ("scenario.warmup", #""100%""#, "scenario.warmup: expected a percentage below 100% of the duration, found 100%"),
        ("scenario.warmup", #""soon""#,
            #"scenario.warmup: expected a percentage of the duration like 10% or a duration like 12h, found "soon""#),
        ("scenario.requests", nil, "scenario.requests: missing; expected a list of paths like [\"/t/t1/a1.service\"] "
            + "for kind service-ghost (only sample-only runs without requests)"),
        ("scenario.requests", "[]", "scenario.requests: missing; expected a list of paths like [\"/t/t1/a1.service\"] "
            + "for kind service-ghost (only sample-only runs without requests)"),
        ("scenario.requests", #"["t/t1/a1.service"]"#,
            #"scenario.requests[0]: expected a path starting with "/", found "t/t1/a1.service""#),
        ("scenario.requests", #"["/t/t1/a1.service", "/t/a b/a1.service"]"#,
            #"scenario.requests[1]: expected a tenant name of 1 to 64 characters from A-Z a-z 0-9 . _ - and not "..", "#
            + #"found "a b" in "/t/a b/a1.service""#),
        ("scenario.requests", #"["/t/../a1.service"]"#,
            #"scenario.requests[0]: expected a tenant name of 1 to 64 characters from A-Z a-z 0-9 . _ - and not "..", "#
            + #"found ".." in "/t/../a1.service""#),
        ("scenario.requests", #"["/t/t1/.."]"#,
            #"scenario.requests[0]: expected an artifact name of 1 to 64 characters from A-Z a-z 0-9 . _ - and not "#
            + #""..", found ".." in "/t/t1/..""#),
        ("scenario.requests", #"["/t/t1"]"#, #"scenario.requests[0]: expected a path like /t/<tenant>/<artifact>, found "/t/t1""#),
        ("scenario.requests", #"["/t/t1/a1.service", 5]"#, "scenario.requests[1]: expected a path like \"/orders\" "
            + #"or a request object like {"method": "POST", "path": "/orders"}, found 5"#),
        ("scenario.churn", #"{"tenants": 1, "artifactsPerTenant": 1, "activeTenants": 1, "changeEvery": "1h"}"#,
            "scenario.churn: expected no churn for kind service-ghost (churn drives only many-tenants), found an object"),
        ("target.tenantd.injectLeak", #""memory""#,
            #"target.tenantd.injectLeak: expected one of retain-cycle, global-cache, fd, thread or null, found "memory""#),
        ("target.tenantd.kind", #""jar""#, #"target.tenantd.kind: expected service or webapp, found "jar""#),
        ("target.tenantd.tenants", "0", "target.tenantd.tenants: at least 1, found 0"),
        ("target.tenantd.tenants", "100000", "target.tenantd.tenants: at most 10000, found 100000"),
        ("target.tenantd.tenants", "99999999999999999999", "target.tenantd.tenants: at most 10000, found 99999999999999999999"),
        ("target.tenantd.artifactsPerTenant", "9223372036854775807",
            "target.tenantd.artifactsPerTenant: at most 1000, found 9223372036854775807"),
        ("target.tenantd.tenants", #""3""#, #"target.tenantd.tenants: expected a whole number like 1, found "3""#),
        ("target.tenantd.tenants", "1.5", "target.tenantd.tenants: expected a whole number like 1, found 1.5"),
        ("target.tenantd.artifactsPerTenant", "-2",
            "target.tenantd.artifactsPerTenant: at least 1, found -2"),
        ("target.tenantd.payloadKB", "-1", "target.tenantd.payloadKB: at least 0, found -1"),
        ("target.tenantd.payloadKB", "100000", "target.tenantd.payloadKB: at most 65536, found 100000"),
        ("target.tenantd.sweepEvery", #""0s""#, "target.tenantd.sweepEvery: at least 1ms, found 0s"),
        ("target.tenantd.artifactIdle", #""1µs""#, "target.tenantd.artifactIdle: at least 1ms, found 1µs"),
        ("target.tenantd.leakBytes", "1e30", "target.tenantd.leakBytes: at most 1 GiB, found 1e+30"),
        ("target.tenantd.leakBytes", #""8388608TiB""#, "target.tenantd.leakBytes: at most 1 GiB, found 8388608TiB"),
        ("target.tenantd.noGhost", #""yes""#, #"target.tenantd.noGhost: expected true or false, found "yes""#),
        ("target.tenantd.eager", #""*,!""#,
            #"target.tenantd.eager: expected a comma-separated list of tenant names, * and !name like "*,!t7", found "*,!""#),
        ("target.tenantd.artifactIdle", #""3m""#,
            "target.tenantd.artifactIdle: expected artifactIdle + sweepEvery (10s) below scenario.interval (3m) "
            + "so the service is a ghost again before the next request, found 3m"),
        ("target.tenantd.noGhost", "true",
            "target.tenantd.noGhost: expected false for kind service-ghost (without ghosts the service is never a "
            + "ghost again), found true"),
        ("target.tenantd.extraArguments", #""--x""#, #"target.tenantd.extraArguments: expected a list of strings, found "--x""#),
        ("target.tenantd.extraArguments", #"["--max-connections", "64", "--time-scale", "0"]"#,
            "target.tenantd.extraArguments[2]: expected flags the harness does not set itself; --time-scale is set "
            + #"by accelerate or --accelerate, found "--time-scale""#),
        ("target.tenantd.extraArguments", #"["--artifact-idle=5m"]"#,
            "target.tenantd.extraArguments[0]: expected flags the harness does not set itself; --artifact-idle is "
            + #"set by target.tenantd.artifactIdle, found "--artifact-idle=5m""#),
        ("target", "{}", "target: expected exactly one of tenantd, command, found neither"),
        ("target.command", #"{"argv": ["./x"], "ready": {"delay": "1s"}}"#,
            "target: expected exactly one of tenantd, command, found both"),
        ("target", "[]", "target: expected an object with tenantd or command, found an empty list"),
        ("accelerate", "0", "accelerate: at least 1 (real time), found 0"),
        ("accelerate", "1e-7", "accelerate: at least 1 (real time), found 0.0000001"),
        ("accelerate", "-5", "accelerate: at least 1 (real time), found -5"),
        ("accelerate", "50000", "accelerate: expected at most limits.maxAccelerate (20000), found 50000"),
        ("accelerate", #""fast""#, #"accelerate: expected a number like 7200, found "fast""#),
        ("description", nil, "description: missing; expected one line saying what the profile checks"),
        ("description", #""two\nlines""#, "description: expected one line, found a line break"),
        ("description", #""  ""#, "description: expected one line saying what the profile checks, found an empty text"),
        ("sampling.every", #""0ms""#, "sampling.every: expected a duration above zero, found 0s"),
        ("sampling.troughs", "1", "sampling.troughs: expected true or false, found 1"),
        ("limits.memory", #""lots""#,
            #"limits.memory: expected a byte size like 512MiB or a number of bytes, found "lots""#),
        ("limits.memory", "0", "limits.memory: at least 1 B, found 0"),
        ("limits.memory", "9.3e18", "limits.memory: at most 1 TiB, found 9.3e+18"),
        ("limits.memory", "9223372036854775807", "limits.memory: at most 1 TiB, found 9223372036854775807"),
        ("limits.memory", #""8388608TiB""#, "limits.memory: at most 1 TiB, found 8388608TiB"),
        ("limits.teardownGrace", #""2h""#, "limits.teardownGrace: at most 1h, found 2h"),
        ("limits.maxAccelerate", "0", "limits.maxAccelerate: at least 1 (real time), found 0"),
        ("limits.maxAccelerate", "1e300", "limits.maxAccelerate: at most 1000000, found 1e+300"),
        ("scenario.duration", #""1000d""#, "scenario.duration: at most 366d, found 1000d"),
        ("scenario.requestTimeout", #""2h""#, "scenario.requestTimeout: at most 1h, found 2h"),
        ("sampling.minimumWallPeriod", #""1us""#, "sampling.minimumWallPeriod: at least 1ms, found 1µs"),
        ("thresholds.rss", #"{"floor": "2TiB"}"#, "thresholds.rss.floor: at most 1 TiB, found 2TiB"),
        ("scenario.requests", #"["/t/t1/a1.service/a b"]"#,
            #"scenario.requests[0]: expected a path without spaces, control characters or non-ASCII characters "#
            + #"(percent-encode them, like %20), found a space in "/t/t1/a1.service/a b""#),
        ("scenario.requests", #"["/t/t1/a1.service?q=é"]"#,
            #"scenario.requests[0]: expected a path without spaces, control characters or non-ASCII characters "#
            + #"(percent-encode them, like %20), found the non-ASCII character "é" in "/t/t1/a1.service?q=é""#),
        ("thresholds.heap", #"{"perCycle": 1}"#, "thresholds.heap: unknown metric; expected one of rss, rss_anon, pss, "
            + "heap_in_use, live_instances, fds, threads, harness_rss (did you mean heap_in_use?)"),
        ("thresholds.fds", #"{"floor": "5KiB"}"#,
            #"thresholds.fds.floor: expected a number of descriptors like 5, found "5KiB""#),
        ("thresholds.rss", #"{"perCycle": "lots"}"#,
            #"thresholds.rss.perCycle: expected a byte size like 64KiB or a number of bytes, found "lots""#),
        ("thresholds.fds", #"{"perCycle": 1, "perHour": 2}"#, "thresholds.fds: expected one of perCycle, perHour, found both"),
        ("thresholds.threads", #"{"perCycle": -1}"#, "thresholds.threads.perCycle: expected an amount of at least 0, found -1"),
        ("tolerances.rss", #""5 percent""#,
            #"tolerances.rss: expected a byte size like 64KiB or a number of bytes or a percentage like 5%, found "5 percent""#),
        ("tolerances.fds", #""2""#, #"tolerances.fds: expected a number of descriptors like 5 or a percentage like 5%, found "2""#),
    ] as [(String, String?, String)])
    func refusesWithFieldPathAndExpectation(path: String, json: String?, expected: String) {
        let errors = ProfileTesting.errors(ProfileDraft.serviceGhost, path, json: json)
        #expect(errors == ["Profiles/t.json: " + expected])
    }

    @Test(arguments: [
        ("scenario.churn.activeTenants", "400",
            "scenario.churn.activeTenants: expected at most scenario.churn.tenants (300), found 400"),
        ("scenario.churn.activeTenants", "0", "scenario.churn.activeTenants: at least 1, found 0"),
        ("scenario.churn.tenants", "301", "scenario.churn.tenants: expected at most target.tenantd.tenants (300), found 301"),
        ("scenario.churn.artifactsPerTenant", "6",
            "scenario.churn.artifactsPerTenant: expected at most target.tenantd.artifactsPerTenant (5), found 6"),
        ("scenario.churn.changeEvery", #""0s""#, "scenario.churn.changeEvery: expected a duration above zero, found 0s"),
        ("scenario.churn.changeEvery", nil, "scenario.churn.changeEvery: missing; expected a duration like 1h"),
        ("scenario.churn.seed", "-1",
            "scenario.churn.seed: expected a whole number from 0 to 18446744073709551615 like 42, found -1"),
        ("scenario.churn", nil, "scenario.churn: missing; expected an object with tenants, artifactsPerTenant, "
            + "activeTenants and changeEvery for kind many-tenants"),
        ("scenario.requests", #"["/t/{tenant}/{bogus}"]"#,
            #"scenario.requests[0]: expected an artifact name of 1 to 64 characters from A-Z a-z 0-9 . _ - and not "#
            + #""..", found "{bogus}" in "/t/{tenant}/{bogus}""#),
    ] as [(String, String?, String)])
    func refusesBadChurn(path: String, json: String?, expected: String) {
        let errors = ProfileTesting.errors(ProfileDraft.manyTenants, path, json: json)
        #expect(errors == ["Profiles/t.json: " + expected])
    }

    @Test func sampleOnlyNeedsNoRequestsAndRefusesSome() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.kind", json: #""sample-only""#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: scenario.requests: expected no requests for kind sample-only, found 1",
        ])
        draft.set("scenario.requests", json: nil)
        #expect(ProfileTesting.errors(draft.json) == [])
    }

    @Test func tenantUnloadNeedsATenantThatCanUnload() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.kind", json: #""tenant-unload""#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.tenantd.tenantIdle: expected tenantIdle + sweepEvery (10s) below "
                + "scenario.interval (3m) so the tenant is unloaded before the next request, found 30d",
        ])
        draft.set("target.tenantd.tenantIdle", json: #""1m""#)
        #expect(ProfileTesting.errors(draft.json) == [])
        draft.set("target.tenantd.eager", json: #""*,!t2""#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.tenantd.eager: expected requested tenants to be lazy for kind tenant-unload "
                + #"(eager tenants never unload), found "t1" loaded eagerly by "*,!t2""#,
        ])
        draft.set("target.tenantd.eager", json: #""*,!t1""#)
        #expect(ProfileTesting.errors(draft.json) == [])
    }

    @Test func commandTargetsNeedReadinessAndABaseURLForRequests() {
        var draft = ProfileDraft.serviceGhost
        draft.set("target", json: #"{"command": {"argv": ["./prog", "--port", "{port}"], "ready": {"stdoutLine": "ready"}}}"#)
        #expect(ProfileTesting.errors(draft.json) == [
            #"Profiles/t.json: target.command.baseURL: missing; expected a URL like "http://127.0.0.1:{port}" "#
                + "because scenario.requests is not empty",
        ])
        draft.set("target.command.baseURL", json: #""http://127.0.0.1:{port}""#)
        #expect(ProfileTesting.errors(draft.json) == [])

        draft.set("target.command.ready", json: #"{"stdoutLine": "ready", "delay": "2s"}"#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.command.ready: expected exactly one of stdoutLine, portFile, httpURL, delay, "
                + "found stdoutLine and delay",
        ])
        draft.set("target.command.ready", json: #"{"delay": "soon"}"#)
        #expect(ProfileTesting.errors(draft.json) == [
            #"Profiles/t.json: target.command.ready.delay: expected a duration like 2s, found "soon""#,
        ])
        draft.set("target.command.ready", json: #"{"delay": "2s"}"#)
        draft.set("target.command.argv", json: "[]")
        #expect(ProfileTesting.errors(draft.json) == [
            #"Profiles/t.json: target.command.argv: expected a program and its arguments like ["./prog", "--port", "#
                + #""{port}"], found an empty list"#,
        ])
        draft.set("target.command.argv", json: nil)
        #expect(ProfileTesting.errors(draft.json) == [
            #"Profiles/t.json: target.command.argv: missing; expected a list like ["./prog", "--port", "{port}"]"#,
        ])
        draft.set("target.command.argv", json: #"["./prog"]"#)
        draft.set("target.command.environment", json: #"{"A": 1}"#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.command.environment.A: expected text in double quotes, found 1",
        ])
    }

    @Test func reportsEveryProblemOfAPassAtOnceInFileOrder() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.interval", json: #""three""#)
        draft.set("target.tenantd.kind", json: "7")
        draft.set("sampling.evry", json: #""1m""#)
        let errors = ProfileTesting.errors(draft.json)
        #expect(errors.count == 3)
        #expect(errors.contains(#"Profiles/t.json: scenario.interval: expected a duration like 3m, found "three""#))
        #expect(errors.contains("Profiles/t.json: target.tenantd.kind: expected service or webapp, found 7"))
        #expect(errors.contains { $0.hasPrefix("Profiles/t.json: sampling.evry: unknown field") })
    }

    @Test func overridesAreCheckedByTheSameRules() throws {
        var profile = try ProfileLoader.load(json: ProfileDraft.serviceGhost.json, name: "t", file: "t.json")
        profile.accelerate = 1e6
        profile.scenario.duration = .seconds(60)
        #expect(throws: ProfileError.self) { try profile.validate(file: "--accelerate") }
        do {
            try profile.validate(file: "command line")
        } catch {
            #expect(error.description == """
                command line: accelerate: expected at most limits.maxAccelerate (20000), found 1000000
                command line: scenario.duration: expected at least scenario.interval (3m), found 1m
                """)
        }
    }
}
