import Glibc
import Testing
@testable import MiniHTTP

@Suite struct SystemCallTests {
    @Test func failingCallThrowsWithOperationAndErrno() {
        do {
            _ = try FileDescriptor.open("/nonexistent/minihttp", O_RDONLY)
            Issue.record("open should have failed")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description == "open /nonexistent/minihttp: No such file or directory (errno 2)")
        }
    }

    @Test func closeAfterClosesOnThrow() throws {
        var fds: [Int32] = [0, 0]
        try SystemCall.retrying("pipe") { pipe(&fds) }
        let reader = FileDescriptor(rawValue: fds[0])
        struct Boom: Error {}
        #expect(throws: Boom.self) { try reader.closeAfter { throw Boom() } }
        #expect(throws: SystemError(operation: "close", errno: EBADF)) { try reader.close() }
        try FileDescriptor(rawValue: fds[1]).close()
    }

    @Test func waitTimesOutWithETIMEDOUT() throws {
        var fds: [Int32] = [0, 0]
        try SystemCall.retrying("pipe") { pipe(&fds) }
        let reader = FileDescriptor(rawValue: fds[0])
        let writer = FileDescriptor(rawValue: fds[1])
        defer { try? reader.close(); try? writer.close() }
        let start = ContinuousClock.now
        #expect(throws: SystemError(operation: "poll", errno: ETIMEDOUT)) {
            try reader.wait(for: Int16(POLLIN), until: .now + .milliseconds(30))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(30))
    }
}
