import Foundation
import Testing
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakRun

/// `"clock"` in a profile and `--clock` on the command line, and what a stepped run launches.
@Suite struct SteppedProfileTests {
    var commandDraft: ProfileDraft {
        var draft = ProfileDraft.serviceGhost
        draft.set("target", json: #"{"command": {"argv": ["./prog", "--port", "{port}"], "#
            + #""ready": {"stdoutLine": "ready"}, "baseURL": "http://127.0.0.1:{port}"}}"#)
        return draft
    }

    @Test func aSteppedCommandTargetMustServeTheProtocol() throws {
        var draft = commandDraft
        draft.set("clock", json: #""stepped""#)
        #expect(ProfileTesting.errors(draft.json) == [
            #"Profiles/t.json: clock: "stepped" needs target.command.clockURL, where the program answers the "#
                + #"stepped-clock protocol (README, "The stepped clock protocol"); this target declares none, so "#
                + #"only "scaled" can run it"#,
        ])
        draft.set("target.command.clockURL", json: #""http://127.0.0.1:{port}/_clock""#)
        #expect(ProfileTesting.errors(draft.json) == [])
        draft.set("target.command.clockURL", json: #""http://127.0.0.1:{port}/_clock?x=1""#)
        #expect(ProfileTesting.errors(draft.json).first?.contains("target.command.clockURL") == true)
        draft.set("clock", json: #""virtual""#)
        #expect(ProfileTesting.errors(draft.json).first?.contains(#"clock: expected "scaled" or "stepped""#) == true)
    }

    @Test func theClockFlagIsCheckedLikeTheProfileField() throws {
        var draft = commandDraft
        let profile = try ProfileDecoding.load(draft.json)
        #expect(throws: CommandError.self) {
            try RunCommand.checkOverrides(of: profile, file: "t.json", clock: .stepped, accelerate: nil, duration: nil)
        }
        draft = ProfileDraft.serviceGhost
        let tenantd = try ProfileDecoding.load(draft.json)
        try RunCommand.checkOverrides(of: tenantd, file: "t.json", clock: .stepped, accelerate: nil, duration: nil)
        do {
            try RunCommand.checkOverrides(of: tenantd, file: "t.json", clock: .stepped, accelerate: 7200, duration: nil)
            Issue.record("--accelerate with --clock stepped was accepted")
        } catch {
            #expect(error.description.contains("the stepped clock has no scale"), "\(error)")
        }
    }

    @Test func aScaleForASteppedProfileWithoutTheClockFlagChoosesTheScaledClock() throws {
        var draft = ProfileDraft.serviceGhost
        draft.set("clock", json: #""stepped""#)
        let stepped = try ProfileDecoding.load(draft.json)
        let chosen = try #require(RunCommand.scaledClockForAccelerate(profile: stepped, clockFlag: nil, accelerate: 3600))
        #expect(chosen.clock == .scaled)
        #expect(chosen.note.contains("scaled clock at 3600x"), "\(chosen.note)")
        try RunCommand.checkOverrides(of: stepped, file: "t.json", clock: chosen.clock, accelerate: 3600, duration: nil)
        #expect(RunCommand.scaledClockForAccelerate(profile: stepped, clockFlag: .stepped, accelerate: 3600) == nil)
        #expect(RunCommand.scaledClockForAccelerate(profile: stepped, clockFlag: nil, accelerate: nil) == nil)
        let scaled = try ProfileDecoding.load(ProfileDraft.serviceGhost.json)
        #expect(RunCommand.scaledClockForAccelerate(profile: scaled, clockFlag: nil, accelerate: 3600) == nil)
    }

    @Test func aSteppedTenantdRunsOnItsClockEndpointAndACommandIsToldByEnvironment() throws {
        let folder = RunFolder(path: "/tmp/soak-stepped-plan")
        let tenantd = try ProfileDecoding.load(ProfileDraft.serviceGhost.json)
        let plan = try TargetLaunchPlan.make(
            for: tenantd.target, folder: folder, accelerate: 7200, clock: .stepped, tenantdPath: "tenantd")
        #expect(plan.launch.arguments.contains("--clock"))
        #expect(!plan.launch.arguments.contains("--time-scale"))
        #expect(plan.clockPath == "/_runtime/clock")
        var draft = commandDraft
        draft.set("target.command.timeScaleFlag", json: #""--speed""#)
        draft.set("target.command.clockURL", json: #""http://127.0.0.1:{port}/_clock""#)
        let command = try ProfileDecoding.load(draft.json)
        let stepped = try TargetLaunchPlan.make(
            for: command.target, folder: folder, accelerate: 7200, clock: .stepped, tenantdPath: "tenantd")
        #expect(stepped.launch.environment["SOAK_CLOCK"] == "stepped")
        #expect(!stepped.launch.arguments.contains("--speed"))
        #expect(stepped.clockURL?.hasSuffix("/_clock") == true)
        #expect(stepped.clockURL?.contains("{port}") == false)
        let scaled = try TargetLaunchPlan.make(
            for: command.target, folder: folder, accelerate: 7200, clock: .scaled, tenantdPath: "tenantd")
        #expect(scaled.launch.environment["SOAK_CLOCK"] == "scaled")
        #expect(scaled.launch.arguments.suffix(2) == ["--speed", "7200"])
        #expect(scaled.clockURL == nil)
    }
}

/// Loads profile JSON as `ProfileTesting` does, returning the profile.
enum ProfileDecoding {
    static func load(_ json: String) throws -> Profile {
        let directory = try ProfileTesting.temporaryDirectory()
        let file = directory + "/t.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: file))
        return try ProfileLoader.load(file: file, displayPath: "t.json")
    }
}
