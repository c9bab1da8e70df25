import Foundation
import Testing
@testable import SoakProfiles
@testable import SoakUnits

/// The stated bounds on a profile's numbers and texts, each refused with the bound in the message.
@Suite struct ProfileLimitsTests {
    @Test func tooManyCyclesAreRefusedWithTheArithmetic() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.kind", json: #""plain""#)
        draft.set("scenario.interval", json: #""1s""#)
        draft.set("scenario.duration", json: #""12d""#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: scenario.duration: cycles (duration ÷ interval) at most 1000000, found 12d ÷ 1s = 1036800",
        ])
    }

    @Test func theSeededRegistryIsBounded() {
        var draft = ProfileDraft.serviceGhost
        draft.set("target.tenantd.tenants", json: "10000")
        draft.set("target.tenantd.artifactsPerTenant", json: "2")
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.tenantd.artifactsPerTenant: tenants × artifactsPerTenant (the artifacts seeded "
                + "before the run) at most 10000, found 10000 × 2 = 20000",
        ])
        draft.set("target.tenantd.artifactsPerTenant", json: "1")
        #expect(ProfileTesting.errors(draft.json) == [])
    }

    @Test func requestsPerCycleAreBounded() {
        var draft = ProfileDraft.manyTenants
        draft.set("scenario.requests", json: "[" + Array(repeating: #""/t/{tenant}/{artifact}""#, count: 501)
            .joined(separator: ",") + "]")
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: scenario.requests: requests per cycle at most 10000, found 501 × activeTenants 20 = 10020",
        ])
    }

    @Test func textForTheSystemHasNoNULAndNamesHaveNoEquals() {
        var draft = ProfileDraft.serviceGhost
        draft.set("target", json: #"{"command": {"argv": ["./x", "a\u0000b"], "ready": {"delay": "2h"}, "#
            + #""environment": {"A=B": "1"}, "baseURL": "http://127.0.0.1:1"}}"#)
        #expect(ProfileTesting.errors(draft.json) == [
            "Profiles/t.json: target.command.ready.delay: at most 1h, found 2h",
            #"Profiles/t.json: target.command.environment: expected variable names without "=" like LOG_LEVEL, found "A=B""#,
            #"Profiles/t.json: target.command.argv[1]: expected text without NUL characters (\u0000), found "a\u0000b""#,
        ])
    }

    @Test func devicesAndHugeFilesAreNotRead() throws {
        #expect(throws: ProfileError(file: "/dev/zero", message: "is a device or socket; expected a profile .json file")) {
            try ProfileLoader.load(file: "/dev/zero")
        }
        let directory = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/big.json"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(ProfileLoader.maximumFileBytes + 1))
        try handle.close()
        #expect(throws: ProfileError(file: "big.json", message: "is 16 MiB; a profile is at most 16 MiB")) {
            try ProfileLoader.load(file: path, displayPath: "big.json")
        }
    }

    /// Profiles/README.md's "Limits" table says what ProfileLimits holds, bound for bound.
    @Test func theReadmeStatesTheSameLimits() throws {
        let readme = try String(contentsOfFile: ProfileTesting.shippedDirectory + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n")
        let rows: [(String, [String])] = [
            ("| `limits.memory` |", [ProfileLimits.memory.shownMinimum, ProfileLimits.memory.shownMaximum]),
            ("| `target.tenantd.leakBytes` |", [ProfileLimits.leakBytes.shownMinimum, ProfileLimits.leakBytes.shownMaximum]),
            ("| byte amounts", [ProfileLimits.byteAmount.shownMaximum]),
            ("| other amounts", [ProfileLimits.countAmount.shownMaximum]),
            ("| `target.tenantd.tenants`", [ProfileLimits.tenants.shownMinimum, ProfileLimits.tenants.shownMaximum]),
            ("| `target.tenantd.artifactsPerTenant`", [ProfileLimits.artifactsPerTenant.shownMaximum]),
            ("| tenants × artifactsPerTenant", [ProfileLimits.seededArtifacts.shownMaximum]),
            ("| `target.tenantd.payloadKB`", [ProfileLimits.payloadKB.shownMaximum]),
            ("| requests per cycle", [ProfileLimits.requestsPerCycle.shownMaximum]),
            ("| cycles", [ProfileLimits.cycles.shownMaximum]),
            ("| `scenario.duration`", [ProfileLimits.scenarioDuration.shownMaximum]),
            ("| `target.tenantd.tenantIdle`", [ProfileLimits.runtimeIdle.shownMinimum, ProfileLimits.runtimeIdle.shownMaximum]),
            ("| `sampling.minimumWallPeriod`",
                [ProfileLimits.minimumWallPeriod.shownMinimum, ProfileLimits.minimumWallPeriod.shownMaximum]),
            ("| `readyTimeout`, `ready.delay`", [ProfileLimits.wallWait.shownMaximum]),
            ("| `accelerate`, `--accelerate`", [ProfileLimits.accelerate.shownMinimum]),
            ("| `limits.maxAccelerate`", [ProfileLimits.maxAccelerate.shownMinimum, ProfileLimits.maxAccelerate.shownMaximum]),
        ]
        for (start, bounds) in rows {
            let row = lines.first { $0.hasPrefix(start) }
            #expect(row != nil, "no row \(start) in Profiles/README.md")
            for bound in bounds {
                #expect(row?.contains(bound) == true, "\(start) should state \(bound)")
            }
        }
    }
}
