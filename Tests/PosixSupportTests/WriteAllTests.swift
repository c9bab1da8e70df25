import Glibc
import Synchronization
import Testing
@testable import PosixSupport

@Suite struct WriteAllTests {
    /// A 256 KiB message through a 4 KiB non-blocking pipe cannot leave in one write: it only
    /// arrives whole if the loop continues after every short write and waits out every EAGAIN.
    @Test func partialWritesToASmallPipeArriveWhole() throws {
        let pipe = try FileDescriptor.makePipe()
        defer { try? pipe.reader.close() }
        try shrink(pipe.writer)
        try pipe.writer.setNonBlocking()
        let message = (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let drain = try DrainingThread(pipe.reader)
        try pipe.writer.closeAfter {
            try pipe.writer.writeAll(message, operation: "write test pipe", until: .now + .seconds(10))
        }
        #expect(drain.join() == message)
    }

    /// A reader that never reads: the first 4 KiB fit, the rest waits until the deadline.
    @Test func aFullPipeTimesOutAfterWritingWhatFits() throws {
        let pipe = try FileDescriptor.makePipe()
        defer { try? pipe.reader.close(); try? pipe.writer.close() }
        let capacity = try shrink(pipe.writer)
        try pipe.writer.setNonBlocking()
        let message = [UInt8](repeating: 7, count: capacity * 4)
        let error = #expect(throws: SystemError.self) {
            try pipe.writer.writeAll(message, operation: "write test pipe", until: .now + .milliseconds(30))
        }
        #expect(error?.isTimeout == true)
        var buffer = [UInt8](repeating: 0, count: capacity * 4)
        let count = try buffer.withUnsafeMutableBytes { try pipe.reader.read(into: $0) }
        #expect(count == capacity)
    }

    /// EPIPE is reported as a SystemError naming the operation. SIGPIPE is ignored for the test
    /// process, as soak and tenantd ignore it, or write(2) would end it before errno is seen.
    @Test func aClosedReaderIsEPIPE() throws {
        signal(SIGPIPE, SIG_IGN)
        let pipe = try FileDescriptor.makePipe()
        defer { try? pipe.writer.close() }
        try pipe.reader.close()
        #expect(throws: SystemError(operation: "write /tmp/example", errno: EPIPE)) {
            try pipe.writer.writeAll("a line\n", operation: "write /tmp/example")
        }
    }

    /// Sockets go through send(2) with MSG_NOSIGNAL: a closed peer is EPIPE, never a signal.
    @Test func sendAllToAClosedPeerIsEPIPE() throws {
        var ends: [Int32] = [0, 0]
        try SystemCall.retrying("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) }
        let socket = FileDescriptor(rawValue: ends[0])
        defer { try? socket.close() }
        try FileDescriptor(rawValue: ends[1]).close()
        let bytes: [UInt8] = [1, 2, 3]
        #expect(throws: SystemError(operation: "send", errno: EPIPE)) {
            try bytes.withUnsafeBytes { try socket.sendAll($0, until: .now + .seconds(1)) }
        }
    }

    /// With an offset the bytes land there (pwrite), and the descriptor's own offset stays put.
    @Test func writeAtAnOffsetLeavesTheFileOffsetAlone() throws {
        try withTemporaryFolder { folder in
            let file = try FileDescriptor.open("\(folder)/data", O_RDWR | O_CREAT)
            try file.closeAfter {
                try file.writeAll("hello, world\n")
                try file.writeAll("WORLD", at: 7)
                try file.writeAll("!\n")
                #expect(try file.status().st_size == 15)
                var buffer = [UInt8](repeating: 0, count: 32)
                let count = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
                #expect(String(decoding: buffer[..<count], as: UTF8.self) == "hello, WORLD\n!\n")
            }
        }
    }

    /// Sets the pipe to its smallest size (one page) and returns it.
    @discardableResult
    private func shrink(_ pipe: FileDescriptor) throws -> Int {
        let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ, which Swift's Glibc module does not export
        return Int(try SystemCall.retrying("fcntl F_SETPIPE_SZ") { fcntl(pipe.rawValue, setPipeSize, 4096) })
    }
}

/// Reads a descriptor to its end on a thread of its own (not the test's cooperative pool, where a
/// blocking read could starve other tests), and hands back everything read.
final class DrainingThread: @unchecked Sendable {
    private let reader: FileDescriptor
    private let received = Mutex<[UInt8]>([])
    private var thread = pthread_t()

    init(_ reader: FileDescriptor) throws {
        self.reader = reader
        let context = Unmanaged.passRetained(self).toOpaque()
        do {
            try SystemCall.returningErrno("pthread_create") {
                pthread_create(&thread, nil, { raw in
                    Unmanaged<DrainingThread>.fromOpaque(raw!).takeRetainedValue().drain()
                    return nil
                }, context)
            }
        } catch {
            Unmanaged<DrainingThread>.fromOpaque(context).release()
            throw error
        }
    }

    /// Waits for end of file and returns the bytes.
    func join() -> [UInt8] {
        pthread_join(thread, nil)
        return received.withLock { $0 }
    }

    private func drain() {
        // Small reads, so the writer meets a full pipe again and again.
        var chunk = [UInt8](repeating: 0, count: 1000)
        while let count = try? chunk.withUnsafeMutableBytes({ try reader.read(into: $0) }), count > 0 {
            received.withLock { $0.append(contentsOf: chunk[..<count]) }
        }
    }
}

/// Runs `body` with a new empty folder under /tmp, removed afterwards.
func withTemporaryFolder(_ body: (String) throws -> Void) throws {
    var template = Array("/tmp/posix-support-XXXXXX".utf8CString)
    let made = try SystemCall.unwrapping("mkdtemp") { mkdtemp(&template) }
    let folder = String(cString: made)
    // Tests make files and folders one level deep; rm -r would be the only other way.
    defer {
        if let stream = opendir(folder) {
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { remove("\(folder)/\(name)") }
            }
            closedir(stream)
        }
        remove(folder)
    }
    try body(folder)
}
