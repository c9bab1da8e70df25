import CHeapPage
import Glibc
import PosixSupport

/// One sampled stack as a target's table holds it now.
package struct SampledStack: Sendable, Equatable {
    /// `<pid>-<hash>`: stable for the life of the process (its addresses are).
    package var id: String
    package var pid: pid_t
    /// Scaled estimates of the stack's live bytes and live allocations.
    package var liveBytes: Double
    package var liveCount: Double
    /// Return addresses, innermost first.
    package var frames: [UInt64]
}

/// Reads the stack tables libSoakHeapStacks.so publishes (`stacks.<pid>`, layout in
/// `CHeapStackTable.h`) in place: mapped read-only, nothing sent to the target, which never stops.
package final class StackTables {
    package let directory: String
    private var mapped: [pid_t: UnsafePointer<lazysoak_stack_table>] = [:]
    private static let size = MemoryLayout<lazysoak_stack_table>.size

    package init(directory: String) { self.directory = directory }

    deinit {
        for table in mapped.values { munmap(UnsafeMutableRawPointer(mutating: table), Self.size) }
    }

    /// Every stack with live sampled bytes in the processes of `pids`; nil when none published a table.
    package func read(pids: [pid_t]) -> [SampledStack]? {
        let wanted = Set(pids)
        for (pid, table) in mapped where !wanted.contains(pid) {
            munmap(UnsafeMutableRawPointer(mutating: table), Self.size)
            mapped[pid] = nil
        }
        for pid in pids where mapped[pid] == nil {
            if let table = Self.map("\(directory)/stacks.\(pid)") { mapped[pid] = table }
        }
        guard !mapped.isEmpty else { return nil }
        var stacks: [SampledStack] = []
        for (pid, table) in mapped {
            Self.entries(of: table) { entry, hash in
                let live = Self.word(&entry.pointee.live_bytes)
                guard live > 0 else { return }
                let depth = min(Int(entry.pointee.depth), Int(LAZYSOAK_STACKS_DEPTH))
                let frames = withUnsafeBytes(of: entry.pointee.frames) { Array($0.bindMemory(to: UInt64.self).prefix(depth)) }
                stacks.append(SampledStack(
                    id: "\(pid)-\(String(hash, radix: 16))", pid: pid, liveBytes: Double(live),
                    liveCount: Double(Self.word(&entry.pointee.live_count_milli)) / 1000, frames: frames))
            }
        }
        return stacks
    }

    /// Calls `body` with each published entry and its hash.
    private static func entries(
        of table: UnsafePointer<lazysoak_stack_table>,
        _ body: (UnsafeMutablePointer<lazysoak_stack_entry>, UInt64) -> Void
    ) {
        let raw = UnsafeMutableRawPointer(mutating: table)
        let first = raw.advanced(by: MemoryLayout<lazysoak_stack_table>.offset(of: \.entries)!)
            .assumingMemoryBound(to: lazysoak_stack_entry.self)
        for index in 0..<Int(LAZYSOAK_STACKS_CAPACITY) {
            let entry = first.advanced(by: index)
            // The hash is stored last: a nonzero one means the frames are complete.
            let hash = word(&entry.pointee.hash)
            if hash != 0 { body(entry, hash) }
        }
    }

    /// A counter or hash of the shared table, read atomically: a value, never an error result.
    private static func word(_ address: UnsafeMutablePointer<UInt64>) -> UInt64 { lazysoak_load_u64(address) }

    private static func map(_ path: String) -> UnsafePointer<lazysoak_stack_table>? {
        guard let descriptor = try? FileDescriptor.open(path, O_RDONLY) else { return nil }
        defer { try? descriptor.close() }
        var info = stat()
        guard (try? SystemCall.retrying("fstat", { fstat(descriptor.rawValue, &info) })) != nil,
              info.st_size >= off_t(size)
        else { return nil }
        let mapping = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor.rawValue, 0)
        guard let mapping, mapping != MAP_FAILED else { return nil }
        let table = UnsafePointer(mapping.assumingMemoryBound(to: lazysoak_stack_table.self))
        guard lazysoak_load_u64(UnsafeMutablePointer(mutating: table).pointer(to: \.magic)!) == LAZYSOAK_STACKS_MAGIC,
              table.pointee.version == UInt32(LAZYSOAK_STACKS_VERSION)
        else {
            munmap(mapping, size)
            return nil
        }
        return table
    }
}
