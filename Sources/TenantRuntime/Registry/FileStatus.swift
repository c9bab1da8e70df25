import Glibc
import PosixSupport

/// The `stat` facts the ghost deployer compares to decide whether an artifact changed.
struct FileStatus: Equatable, Sendable, Codable {
    var size: Int
    /// Modification time in nanoseconds since the epoch.
    var modifiedNanos: Int
    var isDirectory: Bool

    init(size: Int, modifiedNanos: Int, isDirectory: Bool) {
        self.size = size
        self.modifiedNanos = modifiedNanos
        self.isDirectory = isDirectory
    }

    /// Stats `path`; nil when it does not exist or cannot be read.
    init?(path: String) {
        guard let info = try? FileSystem.status(of: path) else { return nil }
        size = Int(info.st_size)
        modifiedNanos = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    }
}
