import PosixSupport

/// What one read of a memory cgroup gave, in bytes; nil where a file or key was missing.
package struct CgroupMemoryReading: Sendable, Equatable {
    /// v2 `memory.current`, v1 `memory.usage_in_bytes`: everything charged, page cache included.
    package var usageBytes: Int?
    /// v2 `anon`, v1 `total_rss` (or `rss`): anonymous memory, the heap and stacks.
    package var anonBytes: Int?
    /// v2 `file`, v1 `total_cache` (or `cache`): page cache charged to the group.
    package var fileBytes: Int?

    package init(usageBytes: Int? = nil, anonBytes: Int? = nil, fileBytes: Int? = nil) {
        self.usageBytes = usageBytes
        self.anonBytes = anonBytes
        self.fileBytes = fileBytes
    }
}

/// Reads a memory cgroup at each sample, its two files kept open and re-read with `pread`.
package final class CgroupMemoryReader {
    package let location: CgroupLocation
    private let usage: FileDescriptor
    private let stat: FileDescriptor
    private let buffer = ProcReadBuffer(capacity: 8192)

    /// Opens the group's files; throws when either cannot be opened.
    package init(location: CgroupLocation) throws(CgroupError) {
        self.location = location
        let usageFile = location.version == .v2 ? "memory.current" : "memory.usage_in_bytes"
        do {
            usage = try ProcReadBuffer.open(location.directory + "/" + usageFile)
        } catch {
            throw CgroupError("\(location.directory)/\(usageFile): \(error)")
        }
        do {
            stat = try ProcReadBuffer.open(location.directory + "/memory.stat")
        } catch {
            try? usage.close()
            throw CgroupError("\(location.directory)/memory.stat: \(error)")
        }
    }

    deinit {
        try? usage.close()
        try? stat.close()
    }

    /// The group's memory now.
    package func read() -> CgroupMemoryReading {
        var reading = CgroupMemoryReading()
        if case .bytes(let bytes) = buffer.read(descriptor: usage) {
            reading.usageBytes = ProcBytes.count(in: bytes, from: 0)
        }
        if case .bytes(let bytes) = buffer.read(descriptor: stat) {
            let values = Self.statValues(bytes)
            switch location.version {
            case .v2:
                reading.anonBytes = values["anon"]
                reading.fileBytes = values["file"]
            case .v1:
                // total_* include descendant groups, as memory.usage_in_bytes does with hierarchy on.
                reading.anonBytes = values["total_rss"] ?? values["rss"]
                reading.fileBytes = values["total_cache"] ?? values["cache"]
            }
        }
        return reading
    }

    /// `key value` lines of memory.stat, for the few keys read.
    static func statValues(_ bytes: UnsafeRawBufferPointer) -> [String: Int] {
        var values: [String: Int] = [:]
        var line = 0
        while line < bytes.count {
            for key in ["anon ", "file ", "rss ", "cache ", "total_rss ", "total_cache "] {
                if bytes.count - line > key.utf8.count,
                   bytes[line..<line + key.utf8.count].elementsEqual(key.utf8),
                   let value = ProcBytes.count(in: bytes, from: line + key.utf8.count) {
                    values[String(key.dropLast())] = value
                }
            }
            line = ProcBytes.lineEnd(in: bytes, from: line)
        }
        return values
    }
}
