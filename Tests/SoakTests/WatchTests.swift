import Foundation
import Glibc
import Testing
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
@testable import SoakUnits

/// `soak watch` on the manual clock: a real process soak did not start is sampled for days of
/// simulated time in microseconds, never signalled, and its exit ends the watch as the rules say.
@Suite struct WatchTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "soak-watch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A process this test starts, standing for one that soak did not.
    func stranger(in folder: String) throws -> TargetProcess {
        try TargetProcess.launch(LaunchSpec(
            executable: "/bin/sleep", arguments: ["30"], stdoutPath: folder + "/out.log",
            stderrPath: folder + "/err.log"))
    }

    func watch(
        _ process: TargetProcess, flags: WatchProfile.Flags, clock: ManualRunClock, in folder: String
    ) throws -> (WatchRunner, RunManifest) {
        let subject = WatchSubject.process(try WatchedProcess.find(pid: process.pid))
        let made = try WatchProfile.make(for: subject, flags: flags)
        var options = WatchOptions(subject: subject, profile: made.profile)
        options.profileJSON = made.json
        options.untilExit = flags.duration == nil
        options.outputParent = folder + "/runs"
        let runner = try WatchRunner(options: options, clock: clock, progress: nil) { _ in }
        return (runner, runner.run { false })
    }

    @Test func flagProblemsNameTheFlagsNotTheProfileFields() throws {
        let process = try stranger(in: try folder())
        defer { kill(process.pid, SIGKILL) }
        let subject = WatchSubject.process(try WatchedProcess.find(pid: process.pid))
        let error = #expect(throws: ProfileError.self) {
            try WatchProfile.make(for: subject, flags: flags(duration: .seconds(4)))
        }
        #expect(error?.description == "soak watch: --duration: expected at least --interval (1m), found 4s")
    }

    func flags(duration: Duration?) -> WatchProfile.Flags {
        var flags = WatchProfile.Flags()
        flags.interval = .seconds(60)
        flags.every = .seconds(10)
        flags.duration = duration
        return flags
    }

    @Test func aWatchOfSetLengthSamplesEveryCycleAndLeavesTheProcessRunning() throws {
        let folder = try folder()
        let process = try stranger(in: folder)
        defer { _ = process.terminate(grace: .seconds(1)) }
        let clock = ManualRunClock()
        let (runner, manifest) = try watch(process, flags: flags(duration: .seconds(3600)), clock: clock, in: folder)
        #expect(manifest.status == .completed)
        #expect(manifest.cyclesCompleted == 60)
        #expect(manifest.watch?.pid == process.pid && manifest.watch?.untilExit == false)
        #expect(clock.now == .seconds(3600))
        #expect(process.exit == nil, "soak watch must never stop what it did not start")
        let events = try String(contentsOfFile: runner.folder.events, encoding: .utf8)
        #expect(events.contains(#""type":"attached""#) && events.contains(#""type":"detached""#))
        let judgement = try RunJudge.judge(runner.folder, manifest: manifest)
        #expect(judgement.summary.verdict == .pass, "\(judgement.summary.verdictReason)")
    }

    @Test func aProcessThatExitsBeforeTheEndCrashesTheWatch() throws {
        let folder = try folder()
        let process = try stranger(in: folder)
        let clock = ManualRunClock()
        clock.at(.seconds(600)) { kill(process.pid, SIGKILL) }
        // The kill lands at once, but the zombie shows only once the kernel has run the exit.
        clock.at(.seconds(601)) { _ = process.reapAfterKill() }
        let (_, manifest) = try watch(process, flags: flags(duration: .seconds(3600)), clock: clock, in: folder)
        #expect(manifest.status == .crashed)
        #expect(manifest.statusReason?.contains("exited after") == true, "\(manifest.statusReason ?? "")")
        #expect(manifest.cyclesCompleted < 60)
    }

    @Test func anOpenEndedWatchEndsNormallyWhenTheProcessExits() throws {
        let folder = try folder()
        let process = try stranger(in: folder)
        let clock = ManualRunClock()
        clock.at(.seconds(1800)) { kill(process.pid, SIGKILL) }
        clock.at(.seconds(1801)) { _ = process.reapAfterKill() }
        let (runner, manifest) = try watch(process, flags: flags(duration: nil), clock: clock, in: folder)
        #expect(manifest.status == .completed)
        #expect(manifest.plannedCycles == manifest.cyclesCompleted)
        #expect((29...31).contains(manifest.cyclesCompleted), "\(manifest.cyclesCompleted)")
        let judgement = try RunJudge.judge(runner.folder, manifest: manifest)
        #expect(judgement.summary.evidence?.damaged == [], "\(judgement.summary.evidence?.damaged ?? [])")
        #expect(judgement.summary.verdict == .pass, "\(judgement.summary.verdictReason)")
    }

    @Test func aMissingOrExitedPidIsRefusedWithAReason() throws {
        #expect(throws: WatchError.self) { try WatchedProcess.find(pid: 0) }
        do {
            _ = try WatchedProcess.find(pid: getpid())
            Issue.record("soak itself was accepted")
        } catch {
            #expect(error.description.contains("this soak process itself"))
        }
        let folder = try folder()
        let process = try stranger(in: folder)
        kill(process.pid, SIGKILL)
        _ = process.reapAfterKill()
        do {
            _ = try WatchedProcess.find(pid: process.pid)
            Issue.record("an exited process was accepted")
        } catch {
            #expect(error.description.contains("no process \(process.pid)"))
        }
    }

    @Test func statFieldsSurviveANameWithParenthesesAndSpaces() {
        let line = "42 (a (b) c) S 1 42 42 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 987654 1000 10 1844 1 1\n"
        let fields = ProcStatFields(parsing: line)
        #expect(fields?.name == "a (b) c" && fields?.state == "S" && fields?.startTicks == 987_654)
        #expect(ProcStatFields(parsing: "42 (x) Z 1")?.startTicks == nil)
    }

    @Test func unreadableProcFilesAreNamedWithTheColumnsTheyCost() {
        var access = ProcAccess()
        #expect(access.message(owner: 0, viewer: 0) == nil)
        access.denied = [.init(file: "/proc/9/fd", columns: ["fds"], reason: "Permission denied")]
        let text = access.message(owner: 0, viewer: 1000) ?? ""
        #expect(text.contains("/proc/9/fd (Permission denied)"))
        #expect(text.contains("uid 0; soak runs as uid 1000"))
        #expect(text.contains("INCONCLUSIVE, never a pass"))
        #expect(ProcAccess.check(pid: getpid()).denied.isEmpty)
    }

    @Test func theProfileMadeFromFlagsPassesTheValidatorAndSaysWhatItWatches() throws {
        let subject = WatchSubject.process(try WatchedProcess.find(pid: getppid()))
        var flags = flags(duration: nil)
        flags.requests = ["/health", "/q?a=\"b\""]
        flags.baseURL = "http://127.0.0.1:8000"
        let made = try WatchProfile.make(for: subject, flags: flags)
        #expect(made.profile.scenario.kind == .plain)
        #expect(made.profile.scenario.requests.map(\.path) == ["/health", "/q?a=\"b\""])
        #expect(made.profile.scenario.cycles == 525_600)
        #expect(try ProfileLoader.load(json: made.json, name: "again", file: "x") == made.profile.renamed("again"))
    }

    @Test func aProfilesPortPlaceholderNeedsAPortAndGlibcHeapIsRefused() throws {
        let subject = WatchSubject.process(try WatchedProcess.find(pid: getppid()))
        var command = Profile.CommandTarget(argv: ["srv"], ready: .delay(.zero))
        command.baseURL = "http://127.0.0.1:{port}"
        var scenario = Profile.Scenario(kind: .plain, requests: [], interval: .seconds(1), duration: .seconds(10))
        scenario.requests = [Profile.Request(path: "/")]
        var options = WatchOptions(
            subject: subject,
            profile: Profile(name: "p", description: "", target: .command(command), scenario: scenario))
        #expect(throws: WatchError.self) { try WatchAddresses.fill(&options, port: nil, baseURL: nil, file: "p.json") }
        try WatchAddresses.fill(&options, port: 8123, baseURL: nil, file: "p.json")
        #expect(options.baseURL == "http://127.0.0.1:8123")
        command.heap = .glibc
        options.profile.target = .command(command)
        do {
            try WatchAddresses.fill(&options, port: 8123, baseURL: nil, file: "p.json")
            Issue.record("glibc heap was accepted")
        } catch {
            #expect(error.description.contains("p.json: target.command.heap \"glibc\""))
        }
    }

    @Test func aWatchedCgroupMustHaveValuesInItsDecidingColumn() {
        var record = WatchRecord(.cgroup(CgroupLocation(version: .v1, directory: "/x", path: "/x")), untilExit: true)
        let profile = Profile(
            name: "p", description: "", target: .command(Profile.CommandTarget(argv: ["x"], ready: .delay(.zero))),
            scenario: Profile.Scenario(kind: .sampleOnly, requests: [], interval: .seconds(1), duration: .seconds(9)))
        #expect(ExpectedMetrics.of(profile, watch: record).map(\.rawValue).contains("cgroup_anon"))
        record.cgroup = nil
        #expect(!ExpectedMetrics.of(profile, watch: record).map(\.rawValue).contains("cgroup_anon"))
    }
}

extension Profile {
    func renamed(_ name: String) -> Profile {
        var copy = self
        copy.name = name
        return copy
    }
}
