#if canImport(Glibc)
import Glibc
#endif

/// Calls on paths rather than open descriptors, through ``SystemCall`` like every other.
package enum FileSystem {
    /// What stat(2) says of `path` (following symbolic links); the error names the path.
    package static func status(of path: String) throws(SystemError) -> stat {
        var info = stat()
        try SystemCall.retrying("stat \(path)") { stat(path, &info) }
        return info
    }

    /// Creates one folder (not its parents). EEXIST is thrown like any other error: mkdir is
    /// atomic, so a caller can use it to claim a name.
    package static func makeDirectory(_ path: String, permissions: mode_t = 0o755) throws(SystemError) {
        try SystemCall.retrying("mkdir \(path)") { mkdir(path, permissions) }
    }

    /// Whether `path` exists (a dangling symbolic link does not).
    package static func exists(_ path: String) -> Bool { isAccessible(path, F_OK) }

    /// Whether `path` exists and is something other than a regular file (a folder, a FIFO, a
    /// device): a file that must be a regular one, where opening a FIFO would block for ever.
    package static func isNotARegularFile(_ path: String) -> Bool {
        guard let info = try? status(of: path) else { return false }
        return info.st_mode & S_IFMT != S_IFREG
    }

    /// Whether this process may read `path`.
    package static func isReadable(_ path: String) -> Bool { isAccessible(path, R_OK) }

    /// Whether this process may write `path` (for a folder: create files in it).
    package static func isWritable(_ path: String) -> Bool { isAccessible(path, W_OK) }

    /// Whether this process may execute `path`.
    package static func isExecutable(_ path: String) -> Bool { isAccessible(path, X_OK) }

    /// access(2) as a question: any failure (ENOENT, EACCES, ENOTDIR, ...) is the answer no.
    private static func isAccessible(_ path: String, _ mode: Int32) -> Bool {
        (try? SystemCall.retrying("access \(path)") { access(path, mode) }) != nil
    }
}
