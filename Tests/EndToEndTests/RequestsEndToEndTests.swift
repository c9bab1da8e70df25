import Foundation
import SoakRun
import Testing

/// `soak run` against a server this package did not write (Python's http.server, in
/// ci/targets/py_orders_server.py), and every base URL that used to end in a pass without a
/// single request: each is refused before the start (exit 2) or judged invalid (exit 3).
@Suite struct RequestsEndToEndTests {
    /// Runs `soak run` on a profile made of `target` and `requests`, from the package root.
    func run(
        _ name: String, target: String, requests: String = #"["/orders"]"#, duration: String = "20s",
        accelerate: Int = 20
    ) throws -> (result: BuiltBinaries.Result, summary: RunSummary?) {
        let folder = BuiltBinaries.temporaryFolder(name)
        let profile = """
            {"description": "\(name)", "accelerate": \(accelerate), "target": {"command": \(target)},
             "scenario": {"kind": "plain", "requests": \(requests), "interval": "1s", "duration": "\(duration)"},
             "sampling": {"every": "1s", "minimumWallPeriod": "20ms"}}
            """
        try Data(profile.utf8).write(to: URL(fileURLWithPath: folder + "/\(name).json"))
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", folder + "/\(name).json", "--out", folder + "/runs"])
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/runs")) ?? []
        let summary = runs.first.flatMap { try? RunSummary.read(from: folder + "/runs/\($0)/summary.json") }
        return (result, summary)
    }

    /// The orders server on `{port}`, with `flags`, ready once it says it listens.
    static func ordersServer(baseURL: String, flags: String = "") -> String {
        #"{"argv": ["python3", "ci/targets/py_orders_server.py", "--port", "{port}""# + flags + "], "
            + #""ready": {"stdoutLine": "listening on"}, "baseURL": ""# + baseURL + #""}"#
    }

    @Test func theShippedPythonProfilePassesWithEveryRequestAsExpected() throws {
        let out = BuiltBinaries.temporaryFolder("py-orders")
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "py-orders", "--duration", "1m", "--accelerate", "20", "--out", out])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: PASS"), "\(result.stdout)")
        let folder = out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out).first ?? "")
        let summary = try RunSummary.read(from: folder + "/summary.json")
        #expect(summary.requests.total == 120 && summary.requests.failed == 0, "\(summary.requests)")
        #expect(summary.integrity.validCycles == 30 && summary.integrity.cycles == 30)
        let events = try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)
        // The body file and the inline body both make orders; the order without a quantity is the
        // 400 the profile expects.
        #expect(events.contains(#""method":"POST","path":"/orders","status":201"#), "\(events.prefix(600))")
        #expect(events.contains(#""status":400"#))
        #expect(!events.contains(#""succeeded":false"#))
    }

    @Test func anIPv6BaseURLWithAPathPrefixReachesTheServer() throws {
        let (result, summary) = try run(
            "ipv6-prefix", target: Self.ordersServer(baseURL: "http://[::1]:{port}/api/",
                                                     flags: #", "--bind", "::1", "--prefix", "/api""#))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect((summary?.requests.total ?? 0) == 20 && summary?.requests.failed == 0)
    }

    @Test func aHostNameResolves() throws {
        let (result, summary) = try run("localhost", target: Self.ordersServer(baseURL: "http://localhost:{port}"))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect((summary?.requests.total ?? 0) == 20 && summary?.requests.failed == 0)
    }

    @Test func aServerAnswering404ToEverythingIsInvalidNeverPass() throws {
        let (result, summary) = try run(
            "all-404",
            target: Self.ordersServer(baseURL: "http://127.0.0.1:{port}", flags: #", "--status-for-all", "404""#),
            duration: "15s")
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: INVALID: not one of 15 request(s) succeeded; the first: "
            + "GET /orders: status 404, expected 2xx or 3xx"), "\(result.stdout)")
        #expect(!result.stdout.contains("--accelerate"))
        #expect(summary?.verdict == .invalid)
        #expect(summary?.requests.firstFailure == "GET /orders: status 404, expected 2xx or 3xx")
    }

    @Test func aPortWithNothingListeningIsInvalidNeverPass() throws {
        let (result, summary) = try run(
            "refused",
            target: #"{"argv": ["sleep", "60"], "ready": {"delay": "50ms"}, "baseURL": "http://127.0.0.1:1"}"#,
            duration: "15s")
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("the first: GET /orders: connection refused: nothing listens at 127.0.0.1:1"),
                "\(result.stdout)")
        #expect(summary?.verdictReason.contains("connection refused") == true)
    }

    /// (baseURL, what the refusal says): each refused before anything starts, with exit 2.
    static let refusedBaseURLs: [(String, String)] = [
        ("http://no-such-host.invalid:{port}", #"target.command.baseURL: name not resolved: "no-such-host.invalid""#),
        ("http://127.0.0.1", "target.command.baseURL: expected an explicit port"),
        ("https://127.0.0.1:{port}", "soak speaks plain HTTP only"),
        ("http://::1:{port}", "expected an IPv6 address in brackets"),
    ]

    @Test(arguments: refusedBaseURLs)
    func aBaseURLItCannotUseIsRefusedBeforeTheStart(url: String, message: String) throws {
        let (result, summary) = try run("bad-url", target: Self.ordersServer(baseURL: url))
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("bad-url.json: "), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(summary == nil, "nothing ran")
    }

    @Test func aPathWithASpaceIsRefusedBeforeTheStart() throws {
        let (result, _) = try run("space", target: Self.ordersServer(baseURL: "http://127.0.0.1:{port}"),
                                  requests: #"["/my orders"]"#)
        #expect(result.status == 2)
        #expect(result.stderr.contains(#"scenario.requests[0]: expected a path without spaces"#), "\(result.stderr)")
    }
}
