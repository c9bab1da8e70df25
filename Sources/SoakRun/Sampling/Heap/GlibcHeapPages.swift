import CHeapPage
import Glibc
import PosixSupport

/// glibc heap counters summed over a process tree.
package struct GlibcHeapReading: Sendable, Equatable {
    /// Bytes in allocated chunks, mmapped ones included (mallinfo2 `uordblks + hblkhd`).
    package var inUseBytes: Double
    package var arenaBytes: Double
    package var mmappedBytes: Double
    package var freeBytes: Double
    /// How many processes' pages were summed.
    package var processes: Int
}

/// Reads the heap pages `libSoakHeapPreload.so` publishes in a folder (`heap.<pid>`), one per
/// process of the target's tree that loaded it (see `CHeapPage.h` for the layout and protocol).
///
/// At each sample it asks every page for fresh counters (a futex wake), waits a few milliseconds
/// at most for the answers, and sums what the pages hold; a page that did not answer in time still
/// counts with its last counters. A process that runs threads answers from a refresher thread of
/// the library, even while idle. A single-threaded one answers from its next allocation call (a
/// thread would take glibc off its faster single-thread path): a busy one within microseconds, an
/// idle one not until it allocates again, so the wait for it is short, and its last counters
/// stand for an idle heap.
package final class GlibcHeapPages {
    /// Why the pages give no counters.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        /// No process of the tree published a page.
        case noPage(String)
        /// A process's malloc is not glibc's, or its glibc has no mallinfo2.
        case unsupported(String)

        package var description: String {
            switch self {
            case .noPage(let text), .unsupported(let text): text
            }
        }
    }

    /// The folder the library writes its pages in (`LAZYSOAK_HEAP_DIR`).
    package let directory: String
    private var mapped: [pid_t: UnsafeMutablePointer<lazysoak_heap_page>] = [:]

    package init(directory: String) {
        self.directory = directory
    }

    deinit {
        for page in mapped.values { munmap(page, Int(LAZYSOAK_HEAP_PAGE_SIZE)) }
    }

    /// The counters of the processes in `pids`; `waitMilliseconds` bounds the wait for fresh ones
    /// from a page with a refresher thread, `callsWaitMilliseconds` from a page answered only by
    /// the target's allocation calls.
    package func read(
        pids: [pid_t], waitMilliseconds: Int = 20, callsWaitMilliseconds: Int = 2
    ) -> Result<GlibcHeapReading, Problem> {
        let wanted = Set(pids)
        for (pid, page) in mapped where !wanted.contains(pid) {
            munmap(page, Int(LAZYSOAK_HEAP_PAGE_SIZE))
            mapped[pid] = nil
        }
        for pid in pids where mapped[pid] == nil {
            if let page = Self.map("\(directory)/heap.\(pid)") { mapped[pid] = page }
        }
        guard !mapped.isEmpty else {
            return .failure(.noPage("no heap page from the target in \(directory): LD_PRELOAD of "
                + "libSoakHeapPreload.so was not honoured (a statically linked or setuid program, or one that "
                + "clears LD_PRELOAD), so glibc heap columns cannot be recorded"))
        }
        var requests: [(UnsafeMutablePointer<lazysoak_heap_page>, UInt32)] = []
        for page in mapped.values where Int(page.pointee.allocator) == LAZYSOAK_HEAP_GLIBC {
            let request = lazysoak_add_u32(&page.pointee.request, 1)
            lazysoak_futex_wake(&page.pointee.request)
            requests.append((page, request))
        }
        for (page, request) in requests {
            let threaded = lazysoak_load_u32(&page.pointee.answerers) & UInt32(LAZYSOAK_HEAP_ANSWERED_BY_THREAD) != 0
            let bound = Int64(threaded ? waitMilliseconds : callsWaitMilliseconds) * 250_000
            var waits = 0
            while lazysoak_load_u32(&page.pointee.answered) != request, waits < 4 {
                let seen = lazysoak_load_u32(&page.pointee.answered)
                if seen != request {
                    lazysoak_futex_wait(&page.pointee.answered, seen, bound)
                }
                waits += 1
            }
        }
        var total = GlibcHeapReading(inUseBytes: 0, arenaBytes: 0, mmappedBytes: 0, freeBytes: 0, processes: 0)
        for (pid, page) in mapped.sorted(by: { $0.key < $1.key }) {
            var copy = lazysoak_heap_page()
            // The sequence lock gives up only when a writer stays busy through 1,000 tries.
            guard lazysoak_heap_page_read(page, &copy) else { continue }
            switch Int(copy.allocator) {
            case LAZYSOAK_HEAP_GLIBC:
                total.inUseBytes += Double(copy.in_use)
                total.arenaBytes += Double(copy.arena)
                total.mmappedBytes += Double(copy.mmapped)
                total.freeBytes += Double(copy.free_bytes)
                total.processes += 1
            case LAZYSOAK_HEAP_FOREIGN:
                return .failure(.unsupported("pid \(pid) allocates with \(Self.name(copy)), not glibc's malloc: "
                    + "mallinfo2 cannot see its heap, so glibc heap columns are not recorded (use the "
                    + "allocator's own statistics, for example through a Prometheus endpoint)"))
            default:
                return .failure(.unsupported("pid \(pid) runs \(Self.name(copy)), whose glibc has no mallinfo2 "
                    + "(glibc 2.33 or later is needed)"))
            }
        }
        return .success(total)
    }

    private static func name(_ page: lazysoak_heap_page) -> String {
        withUnsafeBytes(of: page.allocator_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Maps a page read-write (the request word is written); nil until the library has made it.
    private static func map(_ path: String) -> UnsafeMutablePointer<lazysoak_heap_page>? {
        guard let descriptor = try? FileDescriptor.open(path, O_RDWR) else { return nil }
        defer { try? descriptor.close() }
        var info = stat()
        guard (try? SystemCall.retrying("fstat", { fstat(descriptor.rawValue, &info) })) != nil,
              info.st_size >= off_t(LAZYSOAK_HEAP_PAGE_SIZE)
        else { return nil }
        let mapping = mmap(nil, Int(LAZYSOAK_HEAP_PAGE_SIZE), PROT_READ | PROT_WRITE, MAP_SHARED, descriptor.rawValue, 0)
        guard let mapping, mapping != MAP_FAILED else { return nil }
        let page = mapping.assumingMemoryBound(to: lazysoak_heap_page.self)
        guard lazysoak_load_u64(&page.pointee.magic) == LAZYSOAK_HEAP_PAGE_MAGIC,
              page.pointee.version == UInt32(LAZYSOAK_HEAP_PAGE_VERSION)
        else {
            munmap(mapping, Int(LAZYSOAK_HEAP_PAGE_SIZE))
            return nil
        }
        return page
    }
}
