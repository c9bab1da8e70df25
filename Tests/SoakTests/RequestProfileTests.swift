import Foundation
import Testing
@testable import SoakProfiles
@testable import SoakRun

/// Request objects and base URLs: what loads, and the message for each thing that cannot work.
@Suite struct RequestProfileTests {
    /// A plain scenario against a command target on `{port}`.
    static var commandDraft: ProfileDraft {
        var draft = ProfileDraft.serviceGhost
        draft.set("target", json: #"{"command": {"argv": ["./server", "--port", "{port}"], "ready": {"delay": "1s"}, "#
            + #""baseURL": "http://127.0.0.1:{port}"}}"#)
        draft.set("scenario.kind", json: #""plain""#)
        draft.set("scenario.requests", json: #"["/"]"#)
        return draft
    }

    @Test func aRequestIsAPathOrAnObject() throws {
        var draft = Self.commandDraft
        draft.set("scenario.requests", json: #"""
            ["/health", {"method": "POST", "path": "/orders", "headers": {"Content-Type": "application/json",
             "X-Trace": "soak"}, "body": "{\"qty\": 1}", "expect": [200, 201]},
             {"method": "PUT", "path": "/orders/1", "bodyFile": "payload.json"}]
            """#)
        let profile = try ProfileLoader.load(json: draft.json, name: "r", file: "r.json")
        let requests = profile.scenario.requests
        #expect(requests.count == 3)
        #expect(requests[0] == Profile.Request(path: "/health") && requests[0].label == "GET /health")
        #expect(requests[1].method == "POST" && requests[1].path == "/orders")
        #expect(Set(requests[1].headers.map(\.name)) == ["Content-Type", "X-Trace"])
        #expect(requests[1].body == .text(#"{"qty": 1}"#) && requests[1].expect == [200, 201])
        #expect(requests[1].expectation == "200 or 201" && requests[1].expects(201) && !requests[1].expects(204))
        #expect(requests[2].body == .file("payload.json") && requests[2].expect == nil)
        #expect(requests[2].expectation == "2xx or 3xx" && requests[2].expects(302) && !requests[2].expects(404))
    }

    /// (the request as JSON, the whole expected error line after the file name)
    static let badRequests: [(String, String)] = [
        (#"{"path": "/a", "body": "x", "bodyFile": "b.json"}"#,
            "scenario.requests[0]: expected one of body, bodyFile, found both"),
        (#"{"method": "POST"}"#, #"scenario.requests[0].path: missing; expected a path like "/orders""#),
        (#"{"path": "/a", "verb": "POST"}"#, "scenario.requests[0].verb: unknown field; expected one of method, "
            + "path, headers, body, bodyFile, expect"),
        (#"{"path": "/a", "method": "post"}"#,
            #"scenario.requests[0].method: expected "POST" (methods are case-sensitive), found "post""#),
        (#"{"path": "/a", "method": "PO ST"}"#,
            #"scenario.requests[0].method: expected a method like "POST" (letters, no spaces), found "PO ST""#),
        (#"{"path": "/a", "headers": {"Content-Length": "5"}}"#,
            "scenario.requests[0].headers.Content-Length: expected no Content-Length header: the harness sets it "
            + "from the body"),
        (#"{"path": "/a", "headers": {"X-A": "1\r\nX-B: 2"}}"#,
            #"scenario.requests[0].headers.X-A: expected a header value on one line, without control characters, "#
            + #"found "1\r\nX-B: 2""#),
        (#"{"path": "/a", "headers": {"Bad Name": "1"}}"#,
            "scenario.requests[0].headers.Bad Name: expected a header name of letters, digits and - (no spaces or "
            + #"colons), found "Bad Name""#),
        (#"{"path": "/a", "headers": ["X-A"]}"#, #"scenario.requests[0].headers: expected an object of strings "#
            + #"like {"Content-Type": "application/json"}, found a list"#),
        (#"{"path": "/a", "expect": [200, 1000]}"#,
            "scenario.requests[0].expect[1]: expected an HTTP status from 100 to 599, found 1000"),
        (#"{"path": "/a", "expect": []}"#, "scenario.requests[0].expect: expected at least one status like "
            + "[200, 201] (leave expect out for any 2xx or 3xx), found an empty list"),
        (#"{"path": "/a", "expect": 200}"#,
            "scenario.requests[0].expect: expected a list of statuses like [200, 201], found 200"),
        (#"{"path": "/a", "bodyFile": " "}"#, "scenario.requests[0].bodyFile: expected a file path like "
            + #""payload.json" (relative to the profile's folder), found an empty text"#),
        (#""/a b""#, "scenario.requests[0]: expected a path without spaces, control characters or non-ASCII "
            + #"characters (percent-encode them, like %20), found a space in "/a b""#),
        (#""/a\tb""#, "scenario.requests[0]: expected a path without spaces, control characters or non-ASCII "
            + #"characters (percent-encode them, like %20), found a control character (code 9) in "/a\tb""#),
        (#""/café""#, "scenario.requests[0]: expected a path without spaces, control characters or non-ASCII "
            + #"characters (percent-encode them, like %20), found the non-ASCII character "é" in "/café""#),
        (#"{"path": "/a#top"}"#, "scenario.requests[0]: expected a path without spaces, control characters or "
            + #"non-ASCII characters (percent-encode them, like %20), found "#
            + ##""#" (a fragment, which HTTP never sends) in "/a#top""##),
    ]

    @Test(arguments: badRequests)
    func refusesRequestsThatCannotWork(request: String, expected: String) {
        #expect(ProfileTesting.errors(Self.commandDraft, "scenario.requests", json: "[\(request)]")
            == ["Profiles/t.json: " + expected])
    }

    /// (baseURL, the message after `target.command.baseURL: `)
    static let badBaseURLs: [(String, String)] = [
        ("https://127.0.0.1:{port}", #"expected an http:// URL, found "https://127.0.0.1:{port}": soak speaks "#
            + "plain HTTP only (TLS would need packages beyond the Swift toolchain); point it at a plain-HTTP port of "
            + #"the target on this machine, like "http://127.0.0.1:{port}""#),
        ("http://127.0.0.1", #"expected an explicit port, like "http://127.0.0.1:{port}", found "http://127.0.0.1" "#
            + "(without one, requests would go to port 80, which is rarely the target's; write :80 if it is)"),
        ("http://[::1]", #"expected an explicit port, like "http://[::1]:{port}", found "http://[::1]" "#
            + "(without one, requests would go to port 80, which is rarely the target's; write :80 if it is)"),
        ("127.0.0.1:{port}", #"expected a URL like "http://127.0.0.1:{port}", found "127.0.0.1:{port}""#),
        ("http://127.0.0.1:99999",
            #"expected a port from 1 to 65535 or {port}, found "99999" in "http://127.0.0.1:99999""#),
        ("http://::1:{port}", #"expected an IPv6 address in brackets, like "http://[::1]:{port}", "#
            + #"found "http://::1:{port}""#),
        ("http://[::g]:{port}", #"expected an IPv6 address in brackets like [::1], found "[::g]" in "#
            + #""http://[::g]:{port}""#),
        ("http://:{port}", #"expected a host after http:// (127.0.0.1, [::1] or a name), found "http://:{port}""#),
        ("http://my host:{port}", #"expected a host name of letters, digits, "-" and "." or an address like "#
            + #"127.0.0.1, found "my host" in "http://my host:{port}""#),
        ("http://user:pw@127.0.0.1:{port}", "expected no user name or password in the URL (send an Authorization "
            + #"header with the request instead), found "http://user:pw@127.0.0.1:{port}""#),
        ("http://127.0.0.1:{port}/api?v=1", "expected a base URL without a query (put it in each request's path), "
            + #"found "http://127.0.0.1:{port}/api?v=1""#),
        ("http://127.0.0.1:{port}/my api", "expected a path without spaces, control characters or non-ASCII "
            + #"characters (percent-encode them, like %20), found a space in "http://127.0.0.1:{port}/my api""#),
    ]

    @Test(arguments: badBaseURLs)
    func refusesBaseURLsItCannotUse(url: String, expected: String) {
        #expect(ProfileTesting.errors(Self.commandDraft, "target.command.baseURL", json: "\"\(url)\"")
            == ["Profiles/t.json: target.command.baseURL: " + expected])
    }

    @Test func acceptsNamesIPv6AndPathPrefixes() {
        for url in ["http://myhost:{port}", "http://[::1]:{port}", "http://127.0.0.1:{port}/api/",
            "HTTP://localhost:8080", "http://127.0.0.1:80"]
        {
            let errors = ProfileTesting.errors(Self.commandDraft, "target.command.baseURL", json: "\"\(url)\"")
            #expect(errors == [], "\(url)")
        }
        // statsURL and a readiness URL follow the same rules.
        #expect(ProfileTesting.errors(Self.commandDraft, "target.command.statsURL", json: #""https://h:1/stats""#)
            .first?.hasPrefix("Profiles/t.json: target.command.statsURL: expected an http:// URL") == true)
        #expect(ProfileTesting.errors(Self.commandDraft, "target.command.ready", json: #"{"httpURL": "http://h/ok"}"#)
            .first?.hasPrefix("Profiles/t.json: target.command.ready.httpURL: expected an explicit port") == true)
    }

    @Test func aPortTheTargetIsNeverToldIsRefused() {
        var draft = Self.commandDraft
        draft.set("target.command.argv", json: #"["./server"]"#)
        #expect(ProfileTesting.errors(draft.json) == ["Profiles/t.json: target.command.baseURL: expected {port} also "
            + "in argv or environment, so the target listens where requests go, found it only in baseURL"])
        draft.set("target.command.environment", json: #"{"PORT": "{port}"}"#)
        #expect(ProfileTesting.errors(draft.json) == [])
    }

    @Test func urlsKeepTheirPrefixAndBracketIPv6() throws {
        let base = try HTTPURL.parse("http://127.0.0.1:8080/api/", role: .base)
        #expect(base.path == "/api" && base.target(for: "/orders") == "/api/orders")
        #expect(try HTTPURL.parse("http://127.0.0.1:8080", role: .base).target(for: "/") == "/")
        let six = try HTTPURL.parse("http://[::1]:9/x", role: .base)
        #expect(six.host == "::1" && six.authority == "[::1]:9" && six.target(for: "/y") == "/x/y")
        let endpoint = try HTTPURL.parse("http://localhost:9?full=1", role: .endpoint)
        #expect(endpoint.path == "/?full=1" && endpoint.authority == "localhost:9")
        #expect(try HTTPURL.parse("http://h:{port}/p", role: .base, portPlaceholder: true).port == 0)
        #expect(throws: HTTPURLError.self) { try HTTPURL.parse("http://h:{port}", role: .base) }
    }

    @Test func bodyFilesAreReadRelativeToTheProfileBeforeTheRun() throws {
        let directory = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/payloads", withIntermediateDirectories: true)
        try ProfileTesting.write(#"{"qty": 2}"#, to: directory + "/payloads/order.json")
        var draft = Self.commandDraft
        draft.set("scenario.requests", json: #"[{"method": "POST", "path": "/o", "bodyFile": "payloads/order.json"}]"#)
        try ProfileTesting.write(draft.json, to: directory + "/p.json")
        let profile = try ProfileLoader.load(file: directory + "/p.json")
        let bodies = try RunPreflight.bodyFiles(profile, profileFile: directory + "/p.json", shownAs: "p.json")
        #expect(bodies == ["payloads/order.json": Array(#"{"qty": 2}"#.utf8)])
        try RunPreflight.check(profile, profileFile: directory + "/p.json", shownAs: "p.json")

        draft.set("scenario.requests", json: #"[{"method": "POST", "path": "/o", "bodyFile": "missing.json"}]"#)
        try ProfileTesting.write(draft.json, to: directory + "/p.json")
        let missing = try ProfileLoader.load(file: directory + "/p.json")
        do {
            try RunPreflight.check(missing, profileFile: directory + "/p.json", shownAs: "p.json")
            Issue.record("a missing body file was accepted")
        } catch {
            #expect(error.description == "p.json: scenario.requests[0].bodyFile: expected a readable file relative to "
                + "the profile's folder, found \"missing.json\": no such file (looked for \(directory)/missing.json)")
        }
    }

    @Test func aHostThatDoesNotResolveIsRefusedBeforeTheRun() throws {
        var draft = Self.commandDraft
        draft.set("target.command.baseURL", json: #""http://no-such-host.invalid:{port}""#)
        let profile = try ProfileLoader.load(json: draft.json, name: "p", file: "p.json")
        do {
            try RunPreflight.check(profile, profileFile: "p.json", shownAs: "p.json")
            Issue.record("no-such-host.invalid resolved")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.description.hasPrefix(#"p.json: target.command.baseURL: name not resolved: "#
                + #""no-such-host.invalid" ("#), "\(error)")
            #expect(error.description.hasSuffix(#" in http://no-such-host.invalid:{port}; expected a host this "#
                + "machine resolves, or an address like 127.0.0.1 or [::1]"), "\(error)")
        }
        draft.set("target.command.baseURL", json: #""http://localhost:{port}""#)
        try RunPreflight.check(try ProfileLoader.load(json: draft.json, name: "p", file: "p.json"),
                               profileFile: "p.json", shownAs: "p.json")
    }

    @Test func aSelectorTheScraperCannotReadIsRefusedBeforeTheRun() throws {
        var draft = Self.commandDraft
        draft.set("target.command.metricsURL", json: #""http://127.0.0.1:{port}/metrics""#)
        draft.set("target.command.metrics", json: #"{"ok": "x{area=\"heap\"}", "bad": "x{area=\"heap}"}"#)
        let profile = try ProfileLoader.load(json: draft.json, name: "p", file: "p.json")
        do {
            try RunPreflight.check(profile, profileFile: "p.json", shownAs: "p.json")
            Issue.record("an unterminated selector was accepted")
        } catch {
            #expect(error.issues.count == 1, "\(error)")
            #expect(error.description.hasPrefix("p.json: target.command.metrics.bad: expected a series selector like "),
                    "\(error)")
        }
        draft.set("target.command.metrics", json: #"{"ok": "x{area=\"heap\"}"}"#)
        try RunPreflight.check(try ProfileLoader.load(json: draft.json, name: "p", file: "p.json"),
                               profileFile: "p.json", shownAs: "p.json")
    }
}
