#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Calls `body` with each entry's name in the folder at `path` as raw bytes (no `.` or `..`),
    /// in the order the kernel lists them.
    ///
    /// The bytes point into readdir's buffer and are valid only during the call. No `String` is
    /// made per entry, so a caller that keeps a few bytes of each of 1,000 entries, as the
    /// runtime's tenant load does, pays for one getdents64 pass and its own work.
    package static func forEachEntry(
        in path: String, _ body: (UnsafeBufferPointer<UInt8>) throws(SystemError) -> Void
    ) throws(SystemError) {
        let directory = try SystemCall.unwrapping("opendir \(path)") { opendir(path) }
        defer { closedir(directory) }
        while true {
            // readdir returns NULL both at the end and on error; only errno tells them apart.
            Glibc.errno = 0
            guard let entry = readdir(directory) else {
                if Glibc.errno != 0 { throw SystemError(operation: "readdir \(path)", errno: Glibc.errno) }
                return
            }
            // d_name is a NUL-terminated array inside the entry, valid until the next readdir.
            let start = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let length = strlen(start.assumingMemoryBound(to: CChar.self))
            let name = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length)
            let isDot = name.allSatisfy { $0 == UInt8(ascii: ".") } && length <= 2
            if !isDot { try body(name) }
        }
    }
}
