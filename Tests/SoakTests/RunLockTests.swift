import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// One harness per run folder. `flock` locks belong to an open file, so a second `acquire` in
/// this process conflicts exactly as a second process would.
@Suite struct RunLockTests {
    func folder() throws -> RunFolder {
        let path = NSTemporaryDirectory() + "lazysoak-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return RunFolder(path: path)
    }

    @Test func aHeldFolderRefusesASecondOwnerAndNamesTheFirst() throws {
        let folder = try folder()
        #expect(!RunLock.isHeld(folder))
        var lock: RunLock? = try RunLock.acquire(folder)
        #expect(RunLock.isHeld(folder))
        #expect(RunLock.ownerPID(folder) == getpid())
        #expect(try String(contentsOfFile: folder.pidFile, encoding: .utf8) == "\(getpid())\n")
        do {
            _ = try RunLock.acquire(folder, patience: .milliseconds(50))
            Issue.record("a second owner took a held folder")
        } catch {
            #expect(error.description.contains("in use by another soak run (harness pid \(getpid()))"), "\(error)")
        }
        // Probing never steals the lock nor keeps it.
        #expect(RunLock.isHeld(folder))
        _ = lock
        lock = nil
        #expect(!RunLock.isHeld(folder), "released with its owner, as when the harness exits or is killed")
        _ = try RunLock.acquire(folder)
    }

    @Test func aFolderThatAlreadyHoldsARunIsRefused() throws {
        let folder = try folder()
        try RunStatusTests.manifest().write(to: folder.manifest)
        do {
            _ = try RunLock.acquire(folder)
            Issue.record("took a folder that already holds a run")
        } catch {
            #expect(error.description.contains("already holds a run"), "\(error)")
        }
        #expect(!RunLock.isHeld(folder))
    }

    @Test func aMissingFolderIsAClearError() {
        do {
            _ = try RunLock.acquire(RunFolder(path: "/nonexistent/lazysoak-run"))
            Issue.record("locked a folder that does not exist")
        } catch {
            #expect(error.description.contains("cannot lock the run folder /nonexistent/lazysoak-run"), "\(error)")
        }
    }
}
