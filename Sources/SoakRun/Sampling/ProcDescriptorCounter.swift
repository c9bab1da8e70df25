import Glibc
import MiniHTTP
import PosixSupport

/// Counts a process's open descriptors through its `/proc/PID/fd` directory, kept open.
///
/// Since Linux 6.2 `stat` on that directory reports the number of open descriptors as its size,
/// one `fstat` (under a microsecond) instead of reading every entry. On older kernels the size
/// is 0 and the counter lists the directory, skipping `.` and `..`.
struct ProcDescriptorCounter {
    /// What a count gave.
    enum Outcome {
        case count(Int)
        case gone
        case failed
    }

    /// Whether this kernel reports the descriptor count as the directory size.
    let sizeIsCount: Bool

    /// Probes the kernel once with this process's own descriptor directory, which is never
    /// empty while the probe holds it open.
    init() {
        guard let probe = try? ProcReadBuffer.open("/proc/self/fd", directory: true) else {
            sizeIsCount = false
            return
        }
        defer { try? probe.close() }
        sizeIsCount = (try? Self.size(of: probe)).map { $0 > 0 } ?? false
    }

    /// Counts the entries of the open `/proc/PID/fd` directory; `.failed` when it was never opened.
    func count(directory: FileDescriptor?) -> Outcome {
        guard let directory else { return .failed }
        do {
            return .count(sizeIsCount ? try Self.size(of: directory) : try Self.list(directory))
        } catch {
            return error.meansProcessGone ? .gone : .failed
        }
    }

    private static func size(of directory: FileDescriptor) throws(SystemError) -> Int {
        var info = stat()
        try SystemCall.retrying("fstat") { fstat(directory.rawValue, &info) }
        return Int(info.st_size)
    }

    /// Lists a duplicate of the directory so the kept descriptor stays open and at offset 0.
    private static func list(_ directory: FileDescriptor) throws(SystemError) -> Int {
        let duplicate = try SystemCall.retrying("openat fd") {
            openat(directory.rawValue, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard let stream = fdopendir(duplicate) else {
            let error = SystemError.current("fdopendir")
            try? FileDescriptor(rawValue: duplicate).close()
            throw error
        }
        defer { closedir(stream) }
        var count = 0
        errno = 0
        while let entry = readdir(stream) {
            if entry.pointee.d_name.0 != CChar(UInt8(ascii: ".")) { count += 1 }
        }
        guard errno == 0 else { throw SystemError.current("readdir") }
        return count
    }
}
