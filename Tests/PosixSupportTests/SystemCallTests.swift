import Glibc
import Testing
@testable import PosixSupport

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
        try SystemCall.retrying("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) }
        let closed = FileDescriptor(rawValue: fds[0])
        let peer = FileDescriptor(rawValue: fds[1])
        defer { try? peer.close() }
        struct Boom: Error {}
        #expect(throws: Boom.self) { try closed.closeAfter { throw Boom() } }
        // The peer reading end-of-stream proves the descriptor was closed (closing it again
        // here could close a number another test has just been given).
        var byte: UInt8 = 0
        let count = try withUnsafeMutableBytes(of: &byte) { try peer.read(into: $0) }
        #expect(count == 0)
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
