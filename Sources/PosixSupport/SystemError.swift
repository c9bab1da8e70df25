#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which operation failed and the `errno` it reported.
///
/// Every syscall in the project goes through ``SystemCall`` so that failures reach the
/// user as "connect: Connection refused (errno 111)" rather than a bare number.
package struct SystemError: Error, CustomStringConvertible, Equatable, Hashable, Sendable {
    /// The call or step that failed, as the user should read it ("connect", "open /tmp/x").
    package var operation: String
    /// The `errno` value the call reported.
    package var errno: Int32

    /// Creates an error for `operation` with an explicit `errno` value.
    package init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// Captures the calling thread's current `errno` for `operation`.
    ///
    /// Call it immediately after the failing syscall: any later libc call may overwrite `errno`.
    package static func current(_ operation: String) -> SystemError {
        SystemError(operation: operation, errno: Glibc.errno)
    }

    /// The C library's text for the error number ("Connection refused").
    package var message: String { Self.message(for: errno) }

    /// The C library's text for any error number, for errors that reach us without a call
    /// (a Foundation `POSIXError`, a code a child reported back).
    package static func message(for errno: Int32) -> String {
        // glibc's strerror returns static strings for known numbers and a thread-local
        // buffer for unknown ones (since 2.32), so reading it here is thread-safe.
        guard let text = strerror(errno) else { return "unknown error" }
        return String(cString: text)
    }

    /// "connect: Connection refused (errno 111)".
    package var description: String {
        "\(operation): \(message) (errno \(errno))"
    }

    /// True when a deadline expired (``SystemCall`` reports timeouts as `ETIMEDOUT`).
    package var isTimeout: Bool { errno == ETIMEDOUT }

    /// True when a non-blocking call found nothing to do yet (EAGAIN, EWOULDBLOCK): try again later.
    package var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }

    /// True when a call about a process (or its /proc files) failed because it has exited, or never
    /// existed (ESRCH, ENOENT).
    package var meansProcessGone: Bool { errno == ESRCH || errno == ENOENT }

    /// True when the peer went away (reset, broken pipe): the connection can be retried.
    package var isConnectionLost: Bool {
        errno == ECONNRESET || errno == EPIPE || errno == ECONNABORTED || errno == ENOTCONN
    }
}
