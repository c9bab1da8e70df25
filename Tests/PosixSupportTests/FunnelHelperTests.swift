import Glibc
import Testing
@testable import PosixSupport

@Suite struct FunnelHelperTests {
    @Test func statAndMkdirNameThePathInTheirErrors() throws {
        #expect(throws: SystemError(operation: "stat /nonexistent/file", errno: ENOENT)) {
            try FileSystem.status(of: "/nonexistent/file")
        }
        try withTemporaryFolder { folder in
            try FileSystem.makeDirectory("\(folder)/run")
            #expect(try FileSystem.status(of: "\(folder)/run").st_mode & S_IFMT == S_IFDIR)
            // mkdir claims a name atomically: the second caller learns it is taken.
            let error = #expect(throws: SystemError.self) { try FileSystem.makeDirectory("\(folder)/run") }
            #expect(error?.errno == EEXIST)
            #expect(error?.description == "mkdir \(folder)/run: File exists (errno 17)")
        }
    }

    @Test func directoryEntriesAreListedAsBytesWithoutDotEntries() throws {
        #expect(throws: SystemError(operation: "opendir /nonexistent/folder", errno: ENOENT)) {
            try FileSystem.forEachEntry(in: "/nonexistent/folder") { _ in }
        }
        try withTemporaryFolder { folder in
            let names = ["a1.service", "...", ".hidden", String(repeating: "n", count: 200)]
            for name in names { try FileSystem.makeDirectory("\(folder)/\(name)") }
            var listed: [String] = []
            try FileSystem.forEachEntry(in: folder) { listed.append(String(decoding: $0, as: UTF8.self)) }
            #expect(listed.sorted() == names.sorted())
        }
    }

    @Test func accessQuestionsAnswerNoOnAnyFailure() {
        #expect(FileSystem.exists("/proc/self/status"))
        #expect(FileSystem.isReadable("/proc/self/status"))
        #expect(FileSystem.isExecutable("/bin/sh"))
        #expect(!FileSystem.exists("/nonexistent/file"))
        #expect(!FileSystem.isExecutable("/proc/self/status"))
        #expect(!FileSystem.isWritable("/proc/nonexistent"))
    }

    /// flock's EWOULDBLOCK is the answer "someone else holds it", not a failure.
    @Test func tryLockSaysWhetherAnotherHolderHasTheLock() throws {
        try withTemporaryFolder { folder in
            let owner = try FileDescriptor.open("\(folder)/run.lock", O_RDWR | O_CREAT)
            let prober = try FileDescriptor.open("\(folder)/run.lock", O_RDONLY)
            defer { try? owner.close(); try? prober.close() }
            #expect(try owner.tryLock(exclusive: true))
            #expect(try !prober.tryLock(exclusive: false))
            try owner.unlock()
            #expect(try prober.tryLock(exclusive: false))
            try prober.unlock()
        }
    }

    @Test func processesAreSignalledAndReapedThroughTheFunnel() throws {
        #expect(PosixProcess.exists(getpid()))
        // pid 1 belongs to another user in most containers: EPERM still means it exists.
        #expect(PosixProcess.exists(1))
        let child = try spawn("/bin/sh", "-c", "exec sleep 30")
        #expect(try PosixProcess.reap(child, blocking: false) == nil)
        try PosixProcess.send(SIGKILL, to: child)
        let status = try #require(try PosixProcess.reap(child, blocking: true))
        #expect(status & 0x7f == SIGKILL)
        #expect(!PosixProcess.exists(child))
        #expect(throws: SystemError(operation: "kill \(child)", errno: ESRCH)) {
            try PosixProcess.send(SIGTERM, to: child)
        }
        #expect(throws: SystemError(operation: "waitpid \(child)", errno: ECHILD)) {
            try PosixProcess.reap(child, blocking: true)
        }
    }

    @Test func anExitStatusComesBackWhole() throws {
        let child = try spawn("/bin/sh", "-c", "exit 3")
        let status = try #require(try PosixProcess.reap(child, blocking: true))
        #expect(status & 0x7f == 0)
        #expect((status >> 8) & 0xff == 3)
    }

    @Test func errnoTextForCodesThatCameWithoutACall() {
        #expect(SystemError.message(for: ENOSPC) == "No space left on device")
        #expect(SystemError(operation: "write", errno: EFBIG).message == SystemError.message(for: EFBIG))
    }

    private func spawn(_ arguments: String...) throws -> pid_t {
        var pid: pid_t = 0
        let pointers = arguments.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        try SystemCall.returningErrno("posix_spawn") { posix_spawn(&pid, arguments[0], nil, nil, pointers, environ) }
        return pid
    }
}
