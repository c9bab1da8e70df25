import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun

/// A run that sent requests must have reached its target before its memory means anything.
@Suite struct RequestVerdictTests {
    /// A clean completed run folder whose request log is replaced by `event(cycle)` lines, with
    /// integrity recomputed from them as the driver would have recorded it.
    func judge(
        scenarioKind: String = "plain", accelerate: Double = 7200, clock: String? = nil,
        events event: ((Int) -> String)?
    ) throws -> RunSummary {
        let folder = try RunFolderFixture.make(scenarioKind: scenarioKind, status: .completed)
        var manifest = try RunManifest.read(from: folder.manifest)
        let ready = #"{"type":"ready","message":"target pid 1 ready"}"# + "\n"
        let lines = ready + (event.map { event in (0..<manifest.plannedCycles).map(event).joined(separator: "\n") + "\n" } ?? "")
        try Data(lines.utf8).write(to: URL(fileURLWithPath: folder.events))
        manifest.accelerate = accelerate
        manifest.clock = clock
        let events = RequestEvent.parse(lines: lines)
        manifest.integrity = events.isEmpty ? Integrity() : Integrity(events: events)
        manifest.requests = events.count
        try manifest.write(to: folder.manifest)
        return try RunJudge.judge(folder).summary
    }

    static func request(
        _ cycle: Int, method: String = "POST", status: Int? = 201, succeeded: Bool = true, failure: String? = nil,
        violation: String? = nil
    ) -> String {
        var fields = [#""type":"request""#, #""cycle":\#(cycle)"#, #""method":"\#(method)""#, #""path":"/orders""#,
            #""latency_ms":1"#, #""succeeded":\#(succeeded)"#, #""ok":\#(violation == nil)"#]
        if let status { fields.append(#""status":\#(status)"#) }
        if let failure { fields.append(#""failure":"\#(failure)""#) }
        if let violation { fields.append(#""violation":"\#(violation)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func notOneRequestReachingTheTargetIsInvalidWithTheFirstError() throws {
        let refused = "connection refused: nothing listens at 127.0.0.1:9"
        let summary = try judge(events: {
            Self.request($0, status: nil, succeeded: false, failure: refused, violation: refused)
        })
        #expect(summary.verdict == .invalid && summary.verdict.exitCode == .failed)
        #expect(summary.verdictReason == "not one of 200 request(s) succeeded; the first: POST /orders: "
            + "\(refused); a soak that never reached its target says nothing about its memory")
        #expect(summary.requests.firstFailure == "POST /orders: \(refused)")
        #expect(summary.requests.failed == 200)
    }

    @Test func a404EverywhereIsInvalidAndNeverBlamesTheClock() throws {
        let summary = try judge(events: {
            Self.request($0, method: "GET", status: 404, succeeded: false, violation: "status 404, expected 2xx or 3xx")
        })
        #expect(summary.verdict == .invalid)
        #expect(summary.verdictReason.contains("the first: GET /orders: status 404, expected 2xx or 3xx"))
        #expect(!summary.verdictReason.contains("--accelerate"), "\(summary.verdictReason)")
    }

    @Test func aFailedRequestAmongGoodOnesIsInvalidWithoutClockAdvice() throws {
        let summary = try judge(events: { cycle in
            cycle == 5 ? Self.request(cycle, status: 500, succeeded: false, violation: "status 500, expected 201")
                : Self.request(cycle)
        })
        #expect(summary.verdict == .invalid)
        #expect(summary.verdictReason == "integrity 199/200 cycles: cycle 5, POST /orders: status 500, expected 201",
                "\(summary.verdictReason)")
        #expect(summary.integrity.firstViolationKind == .request)
    }

    @Test func aWrongStateSuggestsALowerAccelerateOnlyWhenSpedUp() throws {
        func wrongState(_ cycle: Int) -> String {
            cycle == 5 ? Self.request(cycle, violation: "expected the artifact to be a ghost again, found actual")
                : Self.request(cycle)
        }
        let fast = try judge(accelerate: 7200, events: wrongState)
        #expect(fast.verdict == .invalid)
        #expect(fast.verdictReason.hasSuffix("; lower --accelerate (now 7200)"), "\(fast.verdictReason)")
        #expect(fast.integrity.firstViolationKind == .state)
        let realTime = try judge(accelerate: 1, events: wrongState)
        #expect(realTime.verdict == .invalid)
        #expect(!realTime.verdictReason.contains("--accelerate"), "\(realTime.verdictReason)")
    }

    @Test func aWrongStateUnderTheSteppedClockIsCalledARuntimeBug() throws {
        let stepped = try judge(accelerate: 50_000, clock: "stepped", events: { cycle in
            cycle == 5 ? Self.request(cycle, violation: "expected the artifact to be a ghost again, found actual")
                : Self.request(cycle)
        })
        #expect(stepped.verdict == .invalid)
        #expect(stepped.verdictReason.contains("any integrity failure under the stepped clock is a bug in the runtime"),
                "\(stepped.verdictReason)")
        #expect(!stepped.verdictReason.contains("--accelerate"), "no clock scale fixes it")
    }

    @Test func aCompletedRunThatSentNothingIsInvalidUnlessItOnlySamples() throws {
        let silent = try judge(events: nil)
        #expect(silent.verdict == .invalid)
        #expect(silent.verdictReason.hasPrefix("no request was sent in 200 cycle(s), although the scenario has "
            + "requests"), "\(silent.verdictReason)")
        let sampleOnly = try judge(scenarioKind: "sample-only", events: nil)
        #expect(sampleOnly.verdict == .pass, "\(sampleOnly.verdictReason)")
    }

    @Test func logsFromBeforeExpectedStatusesStillRead() {
        let old = #"{"type":"request","cycle":0,"path":"/a","status":404,"latency_ms":1,"ok":false}"#
        let events = RequestEvent.parse(lines: old + "\n")
        #expect(events.count == 1 && !events[0].succeeded && events[0].method == "GET")
    }

    @Test func aSenderThatCannotReachItsBaseFailsEveryRequestSayingWhy() {
        let unresolved = HTTPRequestSender(baseURL: "http://no-such-host.invalid:80", timeout: .seconds(1))
        let outcome = unresolved.send("/orders")
        #expect(outcome.status == nil)
        #expect(outcome.failure?.hasPrefix(#"name not resolved: "no-such-host.invalid" ("#) == true, "\(outcome)")
        let missing = HTTPRequestSender(baseURL: nil, timeout: .seconds(1)).send("/")
        #expect(missing.failure == "no base URL to send requests to (set target.command.baseURL)")
        let https = HTTPRequestSender(baseURL: "https://127.0.0.1:8443", timeout: .seconds(1)).send("/")
        #expect(https.failure?.contains("plain HTTP only") == true)
        // Port 1 on loopback: nothing listens there.
        let refused = HTTPRequestSender(baseURL: "http://127.0.0.1:1", timeout: .seconds(1)).send("/")
        #expect(refused.failure == "connection refused: nothing listens at 127.0.0.1:1")
    }
}
