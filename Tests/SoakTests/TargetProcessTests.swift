import Foundation
import Glibc
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct TargetProcessTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "soak-target-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func shell(_ script: String, in folder: String) throws -> TargetProcess {
        try TargetProcess.launch(LaunchSpec(
            executable: "/bin/sh", arguments: ["-c", script], stdoutPath: folder + "/out.log",
            stderrPath: folder + "/err.log"))
    }

    @Test func readinessLineAndStderrAreCaptured() throws {
        let folder = try folder()
        let target = try shell("echo booting; echo oops >&2; echo 'listening on 127.0.0.1:9'; sleep 30", in: folder)
        #expect(target.waitForLine(containing: "listening on", timeout: .seconds(10)) == "listening on 127.0.0.1:9")
        let teardown = target.terminate(grace: .seconds(5))
        #expect(teardown.step == .sigterm)
        #expect(teardown.exit == .signaled(signal: SIGTERM))
        #expect(try String(contentsOfFile: folder + "/err.log", encoding: .utf8) == "oops\n")
    }

    @Test func aTargetIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let folder = try folder()
        let target = try shell("trap '' TERM; echo ready; while :; do sleep 0.05; done", in: folder)
        #expect(target.waitForLine(containing: "ready", timeout: .seconds(10)) != nil)
        let teardown = target.terminate(grace: .milliseconds(200))
        #expect(teardown.step == .sigkill)
        #expect(teardown.exit == .signaled(signal: SIGKILL))
    }

    @Test func anExitBeforeTeardownIsRecordedAsIs() throws {
        let folder = try folder()
        let target = try shell("exit 7", in: folder)
        let deadline = ContinuousClock.now + .seconds(10)
        while target.exit == nil, ContinuousClock.now < deadline { usleep(2000) }
        #expect(target.exit == .exited(status: 7))
        #expect(target.waitForLine(containing: "never", timeout: .seconds(1)) == nil)
        #expect(target.terminate(grace: .seconds(1)).step == .alreadyExited)
    }

    @Test func theTargetGetsItsOwnSessionAndProcessGroup() throws {
        let folder = try folder()
        let target = try shell("echo ready; sleep 30", in: folder)
        #expect(target.waitForLine(containing: "ready", timeout: .seconds(10)) != nil)
        #expect(getpgid(target.pid) == target.pid)
        #expect(getpgid(target.pid) != getpgrp())
        #expect(getsid(target.pid) == target.pid, "a session of its own: no terminal reaches it")
        _ = target.terminate(grace: .seconds(2))
    }

    @Test func anEndedTargetKeepsItsPidUntilItsGroupIsSwept() throws {
        let folder = try folder()
        let target = try shell("exit 3", in: folder)
        #expect(target.waitForExit(timeout: .seconds(10)) == .exited(status: 3))
        // Seen to have ended, yet not reaped: its pid, and so its process group id, cannot pass to
        // a new process whose group the teardown's SIGKILL would then hit.
        let stat = try String(contentsOfFile: "/proc/\(target.pid)/stat", encoding: .utf8)
        #expect(stat.split(separator: ")").last?.split(separator: " ").first == "Z")
        let teardown = target.terminate(grace: .seconds(1))
        #expect(teardown.step == .alreadyExited)
        #expect(teardown.exit == .exited(status: 3))
        var status: Int32 = 0
        #expect(waitpid(target.pid, &status, WNOHANG) == -1 && errno == ECHILD, "reaped once the group was swept")
    }

    @Test func aHelperCanStayInTheHarnessSession() throws {
        let folder = try folder()
        var spec = LaunchSpec(executable: "/bin/sh", arguments: ["-c", "echo ready; sleep 30"],
                              stdoutPath: folder + "/o", stderrPath: folder + "/e")
        spec.ownSession = false
        let target = try TargetProcess.launch(spec)
        #expect(target.waitForLine(containing: "ready", timeout: .seconds(10)) != nil)
        #expect(getsid(target.pid) == getsid(0))
        #expect(getpgid(target.pid) == target.pid)
        _ = target.terminate(grace: .seconds(2))
    }

    @Test func aMissingProgramIsAClearError() throws {
        let folder = try folder()
        #expect(throws: SupervisorError.self) {
            _ = try TargetProcess.launch(LaunchSpec(
                executable: "/nonexistent/prog", arguments: [], stdoutPath: folder + "/o", stderrPath: folder + "/e"))
        }
        do {
            _ = try TargetProcess.launch(LaunchSpec(
                executable: "no-such-program-xyz", arguments: [], stdoutPath: folder + "/o", stderrPath: folder + "/e"))
        } catch {
            #expect(error.description.contains("cannot find the target program"))
        }
    }

    @Test func exitStatusDecoding() {
        #expect(TargetExit(waitStatus: 3 << 8) == .exited(status: 3))
        #expect(TargetExit(waitStatus: 9) == .signaled(signal: 9))
        #expect(TargetExit.signaled(signal: 11).description == "killed by signal 11 (SIGSEGV)")
    }
}
