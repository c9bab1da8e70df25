import Glibc
import MiniHTTP
import PosixSupport

/// The harness's own memory, so a soak run can prove the harness does not leak either.
///
/// statm is a handful of numbers the kernel prints without walking anything. The sampler keeps
/// it open and re-reads it with `pread` (see `ProcReadBuffer`), like every file it samples.
package final class HarnessMemory {
    private let statm: FileDescriptor?
    private let buffer = ProcReadBuffer(capacity: 256)

    /// Opens `/proc/self/statm` for repeated reads.
    package init() {
        statm = try? ProcReadBuffer.open("/proc/self/statm")
    }

    deinit { try? statm?.close() }

    /// This process's resident set size in bytes now; nil if unreadable.
    package func rssBytes() -> Int? {
        guard case .bytes(let bytes) = buffer.read(descriptor: statm) else { return nil }
        return Self.residentBytes(statm: bytes)
    }

    /// This process's resident set size in bytes, opening statm for one read.
    package static func rssBytes() -> Int? {
        // The bytes live in the buffer's storage: keep it alive while they are parsed.
        let buffer = ProcReadBuffer(capacity: 256)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let bytes) = buffer.read(path: "/proc/self/statm") else { return nil }
            return residentBytes(statm: bytes)
        }
    }

    /// Fields: size resident shared text lib data dirty, in pages.
    private static func residentBytes(statm bytes: UnsafeRawBufferPointer) -> Int? {
        guard let size = ProcBytes.unsignedDecimal(in: bytes, from: 0),
              let resident = ProcBytes.unsignedDecimal(in: bytes, from: size.end),
              resident.end < bytes.count
        else { return nil }
        return resident.value * sysconf(Int32(_SC_PAGESIZE))
    }
}
