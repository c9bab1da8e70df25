import Glibc
import MiniHTTP
import PosixSupport

/// What reading a /proc file gave.
enum ProcRead {
    /// The file's bytes, valid until the buffer's next read.
    case bytes(UnsafeRawBufferPointer)
    /// The process no longer exists (`ESRCH`, `ENOENT`): the caller drops it from the tree.
    case gone
    /// Any other failure (`EACCES` on another user's smaps_rollup, ...): that field is missing.
    case failed
}

/// One buffer the sampler reads every /proc file into, reused so a sample allocates nothing.
///
/// Files are kept open and re-read with `pread` at offset 0. For seq_file files (status, stat,
/// smaps_rollup) a read at an offset other than where the last read ended makes the kernel
/// regenerate the text, so each `pread(fd, 0)` returns fresh values (checked on Linux 6.18:
/// VmRSS, Pss and utime move between reads of one descriptor). That saves the path lookup of
/// `open` and the `close`, a third of the floor's cost. A descriptor also pins the process it
/// was opened for: once that process exits, reads fail with `ESRCH` even if the pid is reused.
final class ProcReadBuffer {
    private var storage: UnsafeMutableRawBufferPointer

    init(capacity: Int = 16_384) {
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// Reads the whole file behind `descriptor` from offset 0; `.failed` when it was never opened.
    func read(descriptor: FileDescriptor?) -> ProcRead {
        guard let descriptor else { return .failed }
        var total = 0
        do {
            while true {
                total += try SystemCall.retrying("pread") {
                    pread(descriptor.rawValue, storage.baseAddress! + total, storage.count - total, off_t(total))
                }
                // seq_file fills the request unless it reaches the end, so a short read is the end
                // and the common case costs one system call.
                if total < storage.count { break }
                grow()
            }
        } catch {
            return error.meansProcessGone ? .gone : .failed
        }
        return .bytes(UnsafeRawBufferPointer(rebasing: storage[0..<total]))
    }

    /// Reads a file by path with open/pread/close, for files read once per tree discovery.
    func read(path: String) -> ProcRead {
        let descriptor: FileDescriptor
        do {
            descriptor = try ProcReadBuffer.open(path)
        } catch {
            return error.meansProcessGone ? .gone : .failed
        }
        defer { try? descriptor.close() }
        return read(descriptor: descriptor)
    }

    /// Opens a /proc file or directory read-only (and close-on-exec).
    static func open(_ path: String, directory: Bool = false) throws(SystemError) -> FileDescriptor {
        try FileDescriptor.open(path, O_RDONLY | (directory ? O_DIRECTORY : 0))
    }

    private func grow() {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 16)
        larger.copyMemory(from: UnsafeRawBufferPointer(storage))
        storage.deallocate()
        storage = larger
    }
}
