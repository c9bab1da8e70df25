#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// Writes every byte of `bytes`, however the kernel splits them: the project's one write-all loop.
    ///
    /// A short write continues where it stopped; EINTR is retried (``SystemCall/retrying(_:_:)``);
    /// EAGAIN on a non-blocking descriptor waits with poll until `deadline` (then `ETIMEDOUT`, none
    /// waits as long as it takes). Any other failure is thrown as a ``SystemError`` naming
    /// `operation`: EPIPE when the reader has gone, EFBIG past the file size limit, ENOSPC on a full
    /// disk. With `offset` the bytes go there (pwrite) and the file offset stays where it was.
    ///
    /// On a pipe EPIPE comes with SIGPIPE, which ends the process unless it is ignored (soak and
    /// tenantd ignore it); on a socket use ``sendAll(_:flags:until:)``, which never raises it.
    package func writeAll(
        _ bytes: UnsafeRawBufferPointer,
        at offset: Int? = nil,
        operation: @autoclosure () -> String = "write",
        until deadline: ContinuousClock.Instant? = nil
    ) throws(SystemError) {
        try transferAll(bytes, operation: operation, until: deadline) { rest, done in
            guard let offset else { return Glibc.write(rawValue, rest.baseAddress, rest.count) }
            return pwrite(rawValue, rest.baseAddress, rest.count, off_t(offset + done))
        }
    }

    /// Writes every byte of `bytes`; see the buffer form.
    package func writeAll(
        _ bytes: [UInt8],
        at offset: Int? = nil,
        operation: @autoclosure () -> String = "write",
        until deadline: ContinuousClock.Instant? = nil
    ) throws(SystemError) {
        // withUnsafeBytes only rethrows untyped errors; carry the typed one out in a Result.
        let outcome = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in
                try writeAll(buffer, at: offset, operation: operation(), until: deadline)
            }
        }
        try outcome.get()
    }

    /// Writes `text` as UTF-8; see the buffer form.
    package func writeAll(
        _ text: String,
        at offset: Int? = nil,
        operation: @autoclosure () -> String = "write",
        until deadline: ContinuousClock.Instant? = nil
    ) throws(SystemError) {
        var text = text
        let outcome = text.withUTF8 { bytes in
            Result { () throws(SystemError) in
                try writeAll(UnsafeRawBufferPointer(bytes), at: offset, operation: operation(), until: deadline)
            }
        }
        try outcome.get()
    }

    /// Sends every byte of `bytes` on a socket, as `writeAll` writes them, with send(2)'s `flags`
    /// (MSG_MORE, say). MSG_NOSIGNAL is always added, so a peer that has gone is an EPIPE error
    /// rather than a SIGPIPE that kills the process.
    package func sendAll(
        _ bytes: UnsafeRawBufferPointer,
        flags: Int32 = 0,
        until deadline: ContinuousClock.Instant?
    ) throws(SystemError) {
        let flags = flags | Int32(MSG_NOSIGNAL)
        try transferAll(bytes, operation: { "send" }, until: deadline) { rest, _ in
            Glibc.send(rawValue, rest.baseAddress, rest.count, flags)
        }
    }

    /// The loop behind every write-all: `transfer` moves some of `rest` (with `done` bytes already
    /// moved) and returns how many, or -1 with errno.
    private func transferAll(
        _ bytes: UnsafeRawBufferPointer,
        operation: () -> String,
        until deadline: ContinuousClock.Instant?,
        _ transfer: (_ rest: UnsafeRawBufferPointer, _ done: Int) -> Int
    ) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            do throws(SystemError) {
                let moved = try SystemCall.retrying(operation()) { transfer(rest, done) }
                // No progress on a non-empty buffer happens only on a broken device; looping would spin.
                if moved == 0 { throw SystemError(operation: operation(), errno: EIO) }
                done += moved
            } catch where error.wouldBlock {
                try wait(for: Int16(POLLOUT), until: deadline)
            }
        }
    }
}
