#if canImport(Glibc)
import Glibc
#endif

/// The one funnel for system calls: run the call, retry when a signal interrupted it,
/// and turn the C convention of "-1 and errno" into a thrown ``SystemError``.
///
///     let fd = try SystemCall.retrying("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
///     try SystemCall.once("close") { close(fd) }
///
/// Modelled on swift-system's `valueOrErrno(retryOnInterrupt:)`, so no other file needs a
/// bare `== -1` check.
package enum SystemCall {
    /// Runs `call` until it is not interrupted by a signal (EINTR); throws on any other -1.
    ///
    /// Use for calls that are safe to repeat after EINTR: read, write, open, connect-style
    /// calls that report EINTR before doing anything, poll, accept, waitpid.
    @discardableResult
    @inline(__always)
    package static func retrying<Result: FixedWidthInteger & SignedInteger>(
        _ operation: @autoclosure () -> String,
        _ call: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemError(operation: operation(), errno: code)
        }
    }

    /// Runs `call` exactly once; throws on -1, including EINTR.
    ///
    /// Use for calls that must not be repeated: on Linux `close` has released the
    /// descriptor even when it reports EINTR, so a retry could close someone else's file.
    @discardableResult
    @inline(__always)
    package static func once<Result: FixedWidthInteger & SignedInteger>(
        _ operation: @autoclosure () -> String,
        _ call: () -> Result
    ) throws(SystemError) -> Result {
        let result = call()
        if result != -1 { return result }
        throw SystemError(operation: operation(), errno: Glibc.errno)
    }

    /// Runs a call that returns NULL and sets `errno` on failure (opendir, fopen, dlopen).
    @inline(__always)
    package static func unwrapping<Pointer>(
        _ operation: @autoclosure () -> String,
        _ call: () -> Pointer?
    ) throws(SystemError) -> Pointer {
        while true {
            if let pointer = call() { return pointer }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemError(operation: operation(), errno: code)
        }
    }

    /// Runs a call that returns the error number itself rather than -1 (the pthread family).
    @inline(__always)
    package static func returningErrno(
        _ operation: @autoclosure () -> String,
        _ call: () -> Int32
    ) throws(SystemError) {
        let code = call()
        if code != 0 { throw SystemError(operation: operation(), errno: code) }
    }
}
