import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct ProfileLoaderTests {
    @Test func loadsEveryFieldOfTheDocumentedShape() throws {
        let json = """
            {
              "description": "one line",
              "accelerate": 7200,
              "target": { "tenantd": { "tenants": 2, "artifactsPerTenant": 3, "kind": "webapp", "payloadKB": 8,
                "tenantIdle": "30m", "artifactIdle": "1m", "sweepEvery": "10s", "eager": "*,!t2",
                "noGhost": false, "injectLeak": "global-cache", "leakBytes": "2KiB", "extraArguments": ["--x"] } },
              "scenario": { "kind": "plain", "requests": ["/t/t1/a1.webapp", "/_runtime/health"],
                "interval": "3m", "duration": "8d", "warmup": "12h", "requestTimeout": "2s" },
              "sampling": { "every": "30s", "minimumWallPeriod": "20ms", "troughs": false },
              "thresholds": { "heap_in_use": { "perCycle": "64B", "floor": "64KiB" },
                              "fds": { "perCycle": 0.01, "floor": 5 }, "rss": { "perHour": "20KiB" } },
              "tolerances": { "rss": "5%", "heap_in_use": "64KiB", "fds": 2 },
              "limits": { "memory": "512MiB", "teardownGrace": "5s", "maxAccelerate": 20000 }
            }
            """
        let profile = try ProfileLoader.load(json: json, name: "full", file: "full.json")
        #expect(profile.name == "full")
        #expect(profile.description == "one line")
        #expect(profile.accelerate == 7200)
        guard case .tenantd(let tenantd) = profile.target else {
            Issue.record("expected a tenantd target")
            return
        }
        #expect(tenantd.tenants == 2 && tenantd.artifactsPerTenant == 3 && tenantd.kind == "webapp")
        #expect(tenantd.payloadKB == 8 && tenantd.tenantIdle == .seconds(1800) && tenantd.artifactIdle == .seconds(60))
        #expect(tenantd.sweepEvery == .seconds(10) && tenantd.eager == "*,!t2" && !tenantd.noGhost)
        #expect(tenantd.injectLeak == "global-cache" && tenantd.leakBytes == 2048 && tenantd.extraArguments == ["--x"])
        #expect(profile.scenario.kind == .plain)
        #expect(profile.scenario.requests == ["/t/t1/a1.webapp", "/_runtime/health"])
        #expect(profile.scenario.interval == .seconds(180) && profile.scenario.duration == .seconds(691_200))
        #expect(profile.scenario.warmup == .duration(.seconds(43_200)))
        #expect(profile.scenario.requestTimeoutWall == .seconds(2))
        #expect(profile.scenario.churn == nil)
        #expect(profile.sampling.every == .seconds(30) && profile.sampling.minimumWallPeriod == .milliseconds(20))
        #expect(profile.sampling.troughs == false)
        #expect(profile.thresholds[.heapInUse] == Threshold(perCycle: 64, floor: 65_536))
        #expect(profile.thresholds[.fds] == Threshold(perCycle: 0.01, floor: 5))
        // 20 KiB per simulated hour at one cycle per 3 minutes is 1 KiB per cycle; the floor stays default.
        #expect(profile.thresholds[.rss] == Threshold(perCycle: 1024, floor: Threshold.defaults[.rss]!.floor))
        #expect(profile.threshold(for: .threads) == Threshold.defaults[.threads])
        #expect(profile.tolerances == [.rss: .relative(0.05), .heapInUse: .absolute(65_536), .fds: .absolute(2)])
        #expect(profile.limits.memoryBytes == 536_870_912)
        #expect(profile.limits.teardownGraceWall == .seconds(5) && profile.limits.maxAccelerate == 20_000)
    }

    @Test func fillsTheModelDefaultsForOptionalFields() throws {
        let json = """
            {"description": "d", "target": {"tenantd": {}},
             "scenario": {"kind": "service-ghost", "requests": ["/t/t1/a1.service"], "interval": "30m", "duration": "1d"}}
            """
        let profile = try ProfileLoader.load(json: json, name: "d", file: "d.json")
        #expect(profile.target == .tenantd(Profile.TenantdTarget()))
        #expect(profile.accelerate == 1)
        #expect(profile.sampling == Profile.Sampling())
        #expect(profile.limits == Profile.Limits())
        #expect(profile.scenario.warmup == .fraction(0.1))
        #expect(profile.thresholds.isEmpty && profile.tolerances.isEmpty)
    }

    @Test func loadsACommandTargetWithEachReadiness() throws {
        for (ready, expected) in [
            (#"{"stdoutLine": "ready"}"#, Profile.Readiness.stdoutLine("ready")),
            (#"{"portFile": "port.txt"}"#, .portFile("port.txt")),
            (#"{"httpURL": "http://127.0.0.1:{port}/health"}"#, .httpURL("http://127.0.0.1:{port}/health")),
            (#"{"delay": "2s"}"#, .delay(.seconds(2))),
        ] {
            var draft = ProfileDraft.serviceGhost
            draft.set("scenario.kind", json: #""plain""#)
            draft.set("target", json: """
                {"command": {"argv": ["./prog", "--port", "{port}"], "workingDirectory": null, "environment": {"A": "b"},
                 "ready": \(ready), "readyTimeout": "30s", "baseURL": "http://127.0.0.1:{port}",
                 "timeScaleFlag": "--time-scale", "statsURL": null}}
                """)
            let profile = try ProfileLoader.load(json: draft.json, name: "c", file: "c.json")
            guard case .command(let command) = profile.target else {
                Issue.record("expected a command target")
                continue
            }
            #expect(command.argv == ["./prog", "--port", "{port}"])
            #expect(command.ready == expected)
            #expect(command.environment == ["A": "b"] && command.workingDirectory == nil && command.statsURL == nil)
            #expect(command.timeScaleFlag == "--time-scale" && command.readyTimeoutWall == .seconds(30))
        }
    }

    @Test func refusesUnknownFieldsAtTheTopAndNestedWithTheAllowedNames() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.intreval", json: #""3m""#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: scenario.intreval: unknown field; expected one of kind, requests, interval, duration, "
                + "warmup, requestTimeout, churn, load (did you mean interval?)",
        ])
        draft = ProfileDraft.serviceGhost
        draft.set("acelerate", json: "5")
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: acelerate: unknown field; expected one of description, accelerate, clock, target, scenario, "
                + "sampling, thresholds, alpha, tolerances, limits, culprits (did you mean accelerate?)",
        ])
        draft = ProfileDraft.serviceGhost
        draft.set("target.tenantd.colour", json: #""red""#)
        let errors = ProfileTesting.errors(draft.json)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("Profiles/t.json: target.tenantd.colour: unknown field; expected one of "
            + "tenants, artifactsPerTenant, kind,") == true)
        #expect(errors.first?.contains("did you mean") == false, "no wild guesses")
        draft = ProfileDraft.serviceGhost
        draft.set("limits.memory.x", json: "1")
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: limits.memory: expected a byte size like 512MiB or a number of bytes, found an object",
        ])
    }

    @Test func refusesAFieldGivenTwice() {
        let json = #"{"description": "a", "description": "b", "target": {"tenantd": {}}, "#
            + #""scenario": {"kind": "plain", "requests": ["/x"], "interval": "3m", "duration": "1h"}}"#
        #expect(ProfileTesting.errors(json) == ["Profiles/t.json: description: field given twice; keep one"])
    }

    @Test(arguments: [
        ("{\n  \"description\": \"x\",\n  \"accelerate\": 7200\n  \"target\": {}\n}",
            #"line 4, column 3: invalid JSON: expected "," or "}" after a field, found "target" (a missing comma?)"#),
        ("{\"a\": 1,}", "line 1, column 9: invalid JSON: expected a field name in double quotes, found a trailing "
            + "comma, which JSON does not allow"),
        ("{\"a\": [1, 2,]}", "line 1, column 13: invalid JSON: expected a value, found a trailing comma, which JSON "
            + "does not allow"),
        ("{\n\"payloadKB\": 64KB}", #"line 2, column 14: invalid JSON: expected a value, found 64KB (text with units "#
            + #"goes in double quotes: "64KB")"#),
        ("{\"a\": \"open}", "line 1, column 7: invalid JSON: a string that never ends (missing closing \")"),
        ("// note\n{}", "line 1, column 1: invalid JSON: comments are not allowed in JSON"),
        ("{\"a\": tru}", #"line 1, column 7: invalid JSON: expected a value, found "tru""#),
        ("{} {}", #"line 1, column 4: invalid JSON: expected the end of the file after the top-level value, found "{""#),
        ("{\"a\": 01}", "line 1, column 7: invalid JSON: a number with a leading zero, which JSON does not allow"),
        ("{\"é\": \"\\x\"}", "line 1, column 8: invalid JSON: an unknown escape \\x in a string"),
        ("{\"a\": [", "line 1, column 8: invalid JSON: expected a value, found the end of the file"),
    ])
    func refusesInvalidJSONWithLineAndColumn(json: String, expected: String) {
        #expect(ProfileTesting.errors(json) == ["Profiles/t.json: " + expected])
    }

    @Test func refusesEmptyFilesNonObjectsAndNonUTF8() {
        #expect(ProfileTesting.errors("") == [
            "Profiles/t.json: the file is empty; expected a JSON object describing a soak run (see Profiles/README.md)",
        ])
        #expect(ProfileTesting.errors(" \n\t") == ProfileTesting.errors(""))
        #expect(ProfileTesting.errors("[1]") == [
            "Profiles/t.json: expected a JSON object with fields description, accelerate, clock, target, scenario, sampling, "
                + "thresholds, alpha, tolerances, limits, culprits, found a list",
        ])
        let latin1: [UInt8] = Array("{\"description\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)
        #expect(ProfileTesting.errors(bytes: latin1) == [
            "Profiles/t.json: line 1, column 21: not valid UTF-8 text (byte 20); save the file as UTF-8",
        ])
    }

    @Test func readsStringsWithEscapesAndAByteOrderMark() throws {
        var draft = ProfileDraft.serviceGhost
        draft.set("description", json: #""caf\u00e9 \ud83d\ude00 \"q\" \\ /""#)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(draft.json.utf8)
        let profile = try ProfileLoader.load(json: bytes, name: "t", file: "t.json")
        #expect(profile.description == "café 😀 \"q\" \\ /")
    }

    @Test func fieldProblemsCarryTheirPositionForAnnotations() throws {
        let json = "{\n  \"description\": \"d\",\n  \"target\": {\"tenantd\": {}},\n"
            + "  \"scenario\": {\"kind\": \"plain\", \"requests\": [\"/x\"],\n    \"interval\": \"three\", \"duration\": \"1h\"}\n}"
        do {
            _ = try ProfileLoader.load(json: json, name: "p", file: "p.json")
            Issue.record("expected an error")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.path == "scenario.interval")
            #expect(issue.line == 5 && issue.column == 17)
        }
    }

    @Test func missingAndUnreadableFilesSaySo() throws {
        let directory = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ProfileError(file: "nope.json", message: "no such file")) {
            try ProfileLoader.load(file: directory + "/nope.json", displayPath: "nope.json")
        }
        #expect(throws: ProfileError(file: directory, message: "is a directory; expected a profile .json file")) {
            try ProfileLoader.load(file: directory)
        }
        #expect(ProfileLoader.profileName(forFile: "/a/b/quick.json") == "quick")
    }
}
