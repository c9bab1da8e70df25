import Glibc
import MiniHTTP
import PosixSupport

/// An append-only file written one whole line per `write(2)`, with no user-space buffer: a line
/// is in the kernel's page cache once `append` returns, so a harness killed at any point (even by
/// SIGKILL) leaves every line it recorded, and at worst no partial one.
package final class LineFile: @unchecked Sendable {
    package let path: String
    private let descriptor: FileDescriptor

    /// Opens `path` for appending, creating it when missing.
    package init(path: String, truncate: Bool = false) throws(SystemError) {
        self.path = path
        descriptor = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_APPEND | (truncate ? O_TRUNC : 0))
    }

    deinit { try? descriptor.close() }

    /// Appends `line`, which should end with a newline. Errors (ENOSPC, EFBIG) are reported, not
    /// thrown, so a full disk degrades a run rather than ending it; they name the file.
    @discardableResult
    package func append(_ line: String) -> SystemError? {
        do {
            try descriptor.writeAll(line, operation: "write \(path)")
            return nil
        } catch {
            return error
        }
    }

    /// Whether the file was deleted while open (its link count fell to zero): lines still go
    /// to the open file, but nobody will ever read them.
    package var isUnlinked: Bool { (try? descriptor.status().st_nlink == 0) ?? false }

    /// Forces the file to disk (for the end of a run); best effort, as the lines are already written.
    package func sync() { try? descriptor.sync() }
}
