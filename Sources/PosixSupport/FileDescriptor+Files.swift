#if canImport(Glibc)
import CSystemShim
import Glibc
#endif

extension FileDescriptor {
    /// The process's standard output.
    package static let standardOutput = FileDescriptor(rawValue: STDOUT_FILENO)
    /// The process's standard error.
    package static let standardError = FileDescriptor(rawValue: STDERR_FILENO)

    /// A new pipe, both ends close-on-exec so a spawned child inherits only what it is handed.
    package static func makePipe() throws(SystemError) -> (reader: FileDescriptor, writer: FileDescriptor) {
        var ends: [Int32] = [-1, -1]
        try SystemCall.retrying("pipe") { lazysoak_pipe_cloexec(&ends) }
        return (FileDescriptor(rawValue: ends[0]), FileDescriptor(rawValue: ends[1]))
    }

    /// Reads up to `buffer.count` bytes from `offset` (pread), leaving the file offset alone;
    /// returns 0 at end of file.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        try SystemCall.retrying("pread") { pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// What fstat(2) says of the open file: size, times, mode.
    package func status() throws(SystemError) -> stat {
        var info = stat()
        try SystemCall.retrying("fstat") { fstat(rawValue, &info) }
        return info
    }

    /// Takes an advisory `flock` without waiting: true when taken, false when another open file
    /// description holds a conflicting one (EWOULDBLOCK, the answer rather than a failure).
    package func tryLock(exclusive: Bool) throws(SystemError) -> Bool {
        do throws(SystemError) {
            try SystemCall.retrying("flock") { flock(rawValue, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) }
            return true
        } catch where error.wouldBlock {
            return false
        }
    }

    /// Releases a lock taken with ``tryLock(exclusive:)``.
    package func unlock() throws(SystemError) {
        try SystemCall.retrying("flock LOCK_UN") { flock(rawValue, LOCK_UN) }
    }

    /// Cuts (or extends) the file to `size` bytes.
    package func truncate(to size: Int) throws(SystemError) {
        try SystemCall.retrying("ftruncate") { ftruncate(rawValue, off_t(size)) }
    }

    /// Forces the file's data and metadata to disk (fsync).
    package func sync() throws(SystemError) {
        try SystemCall.retrying("fsync") { fsync(rawValue) }
    }

    /// Whether the descriptor is a terminal; any failure (ENOTTY, EBADF) means it is not.
    package var isTerminal: Bool { isatty(rawValue) == 1 }
}
