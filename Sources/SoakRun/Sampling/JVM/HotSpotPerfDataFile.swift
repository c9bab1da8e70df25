import Glibc
import PosixSupport

/// A JVM's perf-data file kept open and re-read at each sample.
///
/// The first read parses every entry and remembers where each long's value lies; later reads
/// `pread` the file (32 KiB by default) and take only those values, until the prologue says
/// entries were added (its modification stamp or entry count moved), when it parses again.
package final class HotSpotPerfDataFile {
    /// The file read.
    package let path: String
    private let descriptor: FileDescriptor
    private let buffer = ProcReadBuffer(capacity: 64 * 1024)
    private var layout: (stamp: Int64, count: Int32, littleEndian: Bool, offsets: [String: Int])?

    /// Opens the file; throws when it cannot be opened.
    package init(path: String) throws(SystemError) {
        self.path = path
        descriptor = try FileDescriptor.open(path, O_RDONLY)
    }

    deinit { try? descriptor.close() }

    /// The JVM's figures now, or why they cannot be read.
    package func read() -> Result<JVMMemoryReading, HotSpotPerfDataError> {
        guard case .bytes(let bytes) = buffer.read(descriptor: descriptor) else {
            return .failure(HotSpotPerfDataError("\(path): cannot be read"))
        }
        let reader = PerfDataBytes(bytes: bytes, littleEndian: bytes.count > 4 && bytes[4] == 1)
        if let layout, layout.stamp == reader.int64(at: 16), layout.count == reader.int32(at: 28),
           bytes.count > 7, bytes[7] != 0 {
            return .success(JVMMemoryReading { name in layout.offsets[name].flatMap { reader.int64(at: $0) } })
        }
        do {
            let data = try HotSpotPerfData(parsing: bytes)
            guard data.accessible else { return .failure(HotSpotPerfDataError("\(path): the JVM is still creating it")) }
            var offsets: [String: Int] = [:]
            for entry in data.entries {
                if case .long = entry.value { offsets[entry.name] = entry.dataOffset }
            }
            layout = (data.modificationStamp, Int32(data.entries.count), data.littleEndian, offsets)
            return .success(JVMMemoryReading(data))
        } catch {
            return .failure(HotSpotPerfDataError("\(path): \(error)"))
        }
    }
}
