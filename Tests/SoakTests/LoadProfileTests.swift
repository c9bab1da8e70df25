import Foundation
import Testing
@testable import SoakProfiles
@testable import SoakRun

/// `scenario.load`: both forms load, and every load that could not work, or would break the
/// scenario's integrity, is refused naming the file and the field.
@Suite struct LoadProfileTests {
    static let file = ProfileTesting.file

    @Test func theHarnessesOwnLoadLoads() throws {
        var draft = RequestProfileTests.commandDraft
        draft.set("scenario.load", json: #"""
            {"connections": 4, "perSecond": 50, "requests": ["/", {"method": "POST", "path": "/orders",
             "body": "{}", "expect": [201]}]}
            """#)
        let profile = try ProfileLoader.load(json: draft.json, name: "l", file: "l.json")
        guard case .requests(let load) = profile.scenario.load else {
            Issue.record("expected the requests form, found \(String(describing: profile.scenario.load))")
            return
        }
        #expect(load.connections == 4 && load.perSecond == 50)
        #expect(load.requests.map(\.label) == ["GET /", "POST /orders"] && load.requests[1].expect == [201])
        // The harness's load runs inside the harness: no columns of its own.
        #expect(!profile.metrics.contains { $0.rawValue.hasPrefix("load_") })
    }

    @Test func aLoadCommandLoadsAndDeclaresWarnOnlyColumns() throws {
        var draft = RequestProfileTests.commandDraft
        draft.set("scenario.load", json: #"{"command": ["wrk", "-c4", "{baseURL}/"], "environment": {"A": "1"}}"#)
        let profile = try ProfileLoader.load(json: draft.json, name: "l", file: "l.json")
        #expect(profile.scenario.load == .command(Profile.LoadCommand(argv: ["wrk", "-c4", "{baseURL}/"])).with {
            if case .command(var command) = $0 { command.environment = ["A": "1"]; $0 = .command(command) }
        })
        let loadMetrics = profile.metrics.filter { $0.rawValue.hasPrefix("load_") }
        #expect(loadMetrics.map(\.rawValue) == ["load_rss", "load_threads"])
        #expect(loadMetrics.allSatisfy { !$0.decidesVerdict })
    }

    /// (the load as JSON, the whole expected error line after the file name)
    static let badLoads: [(String, String)] = [
        (#"{"connections": 65, "perSecond": 5, "requests": ["/"]}"#,
            "scenario.load.connections: at most 64, found 65"),
        (#"{"connections": 0, "perSecond": 5, "requests": ["/"]}"#,
            "scenario.load.connections: at least 1, found 0"),
        (#"{"perSecond": 0, "requests": ["/"]}"#, "scenario.load.perSecond: at least 0.0167, found 0"),
        (#"{"perSecond": 1e9, "requests": ["/"]}"#, "scenario.load.perSecond: at most 10000, found 1000000000"),
        (#"{"requests": ["/"]}"#,
            "scenario.load.perSecond: missing; expected requests per second like 50 (or give command)"),
        (#"{"perSecond": 5, "requests": []}"#, "scenario.load.requests: at least 1, found 0"),
        (#"{"perSecond": 5, "requests": ["orders"]}"#,
            #"scenario.load.requests[0]: expected a path starting with "/", found "orders""#),
        (#"{"perSecond": 5, "requests": [{"path": "/a", "method": "post"}]}"#,
            #"scenario.load.requests[0].method: expected "POST" (methods are case-sensitive), found "post""#),
        (#"{"command": ["wrk"], "perSecond": 5}"#, "scenario.load.perSecond: expected no perSecond beside "
            + "command: a load is either a command of your own or the harness's requests, not both"),
        (#"{"command": []}"#, "scenario.load.command: expected a program and its arguments like "
            + #"["wrk", "-c4", "{baseURL}/"], found an empty list"#),
        (#"{"command": "wrk"}"#, #"scenario.load.command: expected a program and its arguments like "#
            + #"["wrk", "-c4", "{baseURL}/"], found "wrk""#),
        (#"{"perSecond": 5, "requests": ["/"], "rate": 5}"#, "scenario.load.rate: unknown field; expected one of command, environment, connections, "
            + "perSecond, requests"),
    ]

    @Test(arguments: badLoads)
    func refusesLoadsThatCannotWork(load: String, expected: String) {
        #expect(ProfileTesting.errors(RequestProfileTests.commandDraft, "scenario.load", json: load)
            == ["\(Self.file): \(expected)"])
    }

    @Test func aLoadNeedsABaseURL() {
        var draft = RequestProfileTests.commandDraft
        draft.set("target.command.baseURL", json: nil)
        draft.set("scenario.kind", json: #""sample-only""#)
        draft.set("scenario.requests", json: nil)
        draft.set("scenario.load", json: #"{"perSecond": 5, "requests": ["/"]}"#)
        #expect(ProfileTesting.errors(draft.json) == ["\(Self.file): scenario.load: expected target.command.baseURL, "
            + "so the load has somewhere to go, found none"])
        draft.set("scenario.load", json: #"{"command": ["wrk", "{baseURL}/"]}"#)
        #expect(ProfileTesting.errors(draft.json) == ["\(Self.file): scenario.load.command: expected no {baseURL} "
            + "or {port} because target.command has no baseURL to take them from; set target.command.baseURL"])
        // A command that knows where to go by itself needs no base URL.
        draft.set("scenario.load", json: #"{"command": ["./load.sh", "{run}/load.txt"]}"#)
        #expect(ProfileTesting.errors(draft.json) == [])
    }

    @Test func aLoadMayNotKeepTheScenariosGhostOrTenantLoaded() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.load", json: #"{"perSecond": 5, "requests": ["/t/t1/a1.service/x", "/t/t1/a10.service"]}"#)
        #expect(ProfileTesting.errors(draft.json) == ["\(Self.file): scenario.load.requests[0]: expected no request "
            + "to /t/t1/a1.service, which the scenario needs to find a ghost each cycle (kind service-ghost), found "
            + #""/t/t1/a1.service/x""#])
        draft.set("scenario.load", json: #"{"command": ["wrk", "http://127.0.0.1:1/t/t1/a1.service?q=1"]}"#)
        #expect(ProfileTesting.errors(draft.json).first?.hasPrefix("\(Self.file): scenario.load.command[1]: "
            + "expected no request to /t/t1/a1.service") == true)

        draft.set("scenario.kind", json: #""tenant-unload""#)
        draft.set("target.tenantd.tenantIdle", json: #""1m""#)
        draft.set("scenario.load", json: #"{"perSecond": 5, "requests": ["/t/t1/a2.service"]}"#)
        #expect(ProfileTesting.errors(draft.json) == ["\(Self.file): scenario.load.requests[0]: expected no request "
            + "to tenant t1, which the scenario needs to find unloaded each cycle (kind tenant-unload), found "
            + #""/t/t1/a2.service""#])
        // Another tenant is fine: it is loaded and idle apart.
        draft.set("scenario.load", json: #"{"perSecond": 5, "requests": ["/t/t2/a1.service", "/_runtime/health"]}"#)
        #expect(ProfileTesting.errors(draft.json) == [])
    }
}

extension Profile.Load {
    /// A copy changed by `change`, to build an expected value in one expression.
    fileprivate func with(_ change: (inout Profile.Load) -> Void) -> Profile.Load {
        var copy = self
        change(&copy)
        return copy
    }
}
