import Glibc
import MiniHTTP

/// The harness's own memory, so a soak run can prove the harness does not leak either.
public enum HarnessMemory {
    /// This process's resident set size in bytes, from `/proc/self/statm`; nil if unreadable.
    ///
    /// statm is a handful of numbers the kernel prints without walking anything, so this costs
    /// a few microseconds and reads into a stack buffer.
    public static func rssBytes() -> Int? {
        guard let descriptor = try? ProcReadBuffer.open("/proc/self/statm") else { return nil }
        defer { try? descriptor.close() }
        return withUnsafeTemporaryAllocation(byteCount: 256, alignment: 8) { storage -> Int? in
            guard let count = try? descriptor.read(into: storage), count > 0 else { return nil }
            let bytes = UnsafeRawBufferPointer(rebasing: storage[0..<count])
            // Fields: size resident shared text lib data dirty, in pages.
            guard let size = ProcBytes.unsignedDecimal(in: bytes, from: 0),
                  let resident = ProcBytes.unsignedDecimal(in: bytes, from: size.end),
                  resident.end < count
            else { return nil }
            return resident.value * sysconf(Int32(_SC_PAGESIZE))
        }
    }
}
