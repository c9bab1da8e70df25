#if canImport(Glibc)
import Glibc
#endif

/// A raw POSIX file descriptor with throwing, EINTR-safe operations.
///
/// A plain value, not an owner: copying it does not duplicate the descriptor, and nothing
/// closes it implicitly. Scope ownership with ``closeAfter(_:)``.
package struct FileDescriptor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kernel's descriptor number.
    package let rawValue: Int32

    /// Wraps an existing descriptor number.
    package init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// "fd 7", for logs.
    package var description: String { "fd \(rawValue)" }

    /// Opens `path` with `flags` (O_CLOEXEC is always added so children never inherit it).
    package static func open(
        _ path: String,
        _ flags: Int32,
        permissions: mode_t = 0o644
    ) throws(SystemError) -> FileDescriptor {
        let fd = try SystemCall.retrying("open \(path)") {
            Glibc.open(path, flags | O_CLOEXEC, permissions)
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Closes the descriptor once; EINTR is reported, never retried (Linux has already closed it).
    package func close() throws(SystemError) {
        try SystemCall.once("close") { Glibc.close(rawValue) }
    }

    /// Runs `body`, then closes the descriptor whether `body` returned or threw.
    ///
    /// A close error after a successful `body` is thrown; after a failing `body` the
    /// body's error wins because it is the one the user can act on.
    package func closeAfter<Result>(_ body: () throws -> Result) throws -> Result {
        let result: Result
        do {
            result = try body()
        } catch {
            try? close()
            throw error
        }
        try close()
        return result
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try SystemCall.retrying("read") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Sets or clears O_NONBLOCK.
    package func setNonBlocking(_ enabled: Bool = true) throws(SystemError) {
        let flags = try SystemCall.retrying("fcntl F_GETFL") { fcntl(rawValue, F_GETFL) }
        let wanted = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags {
            try SystemCall.retrying("fcntl F_SETFL") { fcntl(rawValue, F_SETFL, wanted) }
        }
    }

    /// Waits until the descriptor is ready for `events` (POLLIN, POLLOUT) or `deadline` passes.
    ///
    /// Returns the `revents` the kernel reported (which may be POLLHUP or POLLERR rather than
    /// the requested event: the next read or write reports the detail). Throws `ETIMEDOUT`
    /// when the deadline passes first. A nil deadline waits indefinitely.
    @discardableResult
    package func wait(for events: Int16, until deadline: ContinuousClock.Instant?) throws(SystemError) -> Int16 {
        var request = pollfd(fd: rawValue, events: events, revents: 0)
        while true {
            let timeout = Self.pollTimeout(until: deadline)
            let ready = try SystemCall.retrying("poll") { poll(&request, 1, timeout) }
            if ready > 0 { return request.revents }
            // poll rounds to milliseconds, so check the clock rather than trusting one zero.
            if let deadline, MonotonicClock.instant >= deadline {
                throw SystemError(operation: "poll", errno: ETIMEDOUT)
            }
        }
    }

    /// Milliseconds left until `deadline`, rounded up so a wait never ends early; -1 for none.
    static func pollTimeout(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let remaining = MonotonicClock.instant.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
