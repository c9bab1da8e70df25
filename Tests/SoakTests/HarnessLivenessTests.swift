import Foundation
import Glibc
import Testing
@testable import SoakRun

/// Whether a harness still runs, as `soak status`, `soak stop` and a detached launch ask it.
@Suite struct HarnessLivenessTests {
    @Test func aLiveProcessIsAliveAndAZombieOrAGoneOneIsNot() throws {
        #expect(HarnessLiveness.isAlive(pid: getpid()))
        #expect(!HarnessLiveness.isAlive(pid: 0))
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        let pid = child.processIdentifier
        // Unreaped, the exited child is a zombie: ended, whatever /proc still shows of it.
        var waited = 0
        while HarnessLiveness.isAlive(pid: pid), waited < 500 {
            usleep(10_000)
            waited += 1
        }
        #expect(!HarnessLiveness.isAlive(pid: pid))
        child.waitUntilExit()
        #expect(!HarnessLiveness.isAlive(pid: pid))
    }

    @Test func aLiveProcessThatIsNotSoakIsAliveButNotAHarness() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["5"]
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        #expect(HarnessLiveness.isAlive(pid: child.processIdentifier))
        #expect(!HarnessLiveness.isRunning(pid: child.processIdentifier), "a sleep is not a soak harness")
    }
}
