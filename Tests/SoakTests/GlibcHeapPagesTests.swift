import Foundation
import Glibc
import CHeapPage
import Testing
@testable import SoakRun

/// The preload library and its reader together: a real process publishes its heap page.
@Suite struct GlibcHeapPagesTests {
    /// libSoakHeapPreload.so, built beside the test runner.
    static var library: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var parts = runner.split(separator: "/", omittingEmptySubsequences: false)
        while let last = parts.last, !last.hasSuffix(".xctest") { parts.removeLast() }
        parts.removeLast()
        return parts.joined(separator: "/") + "/libSoakHeapPreload.so"
    }

    static func folder() -> String {
        let path = NSTemporaryDirectory() + "heap-pages-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: library)))
    func aPreloadedProcessPublishesItsHeap() throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        process.environment = ["LD_PRELOAD": Self.library, "LAZYSOAK_HEAP_DIR": directory, "PATH": "/usr/bin:/bin"]
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let pages = GlibcHeapPages(directory: directory)
        var reading: Result<GlibcHeapReading, GlibcHeapPages.Problem> = .failure(.noPage("not yet"))
        for _ in 0..<300 {
            reading = pages.read(pids: [process.processIdentifier])
            if case .success = reading { break }
            usleep(10_000)
        }
        let heap = try reading.get()
        #expect(heap.processes == 1)
        #expect(heap.inUseBytes > 0 && heap.arenaBytes >= heap.inUseBytes - heap.mmappedBytes)
        // Asked again, the library answers a fresh request.
        #expect(try pages.read(pids: [process.processIdentifier]).get().processes == 1)
    }

    /// Preloaded ahead of the page library, as the harness preloads them, the sampler's wrappers are
    /// the only layer a call goes through: they answer the page's requests in a single-threaded
    /// program, whose answers come from its allocation calls alone.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: library)
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/awk")))
    func withTheSamplerAheadItsWrappersAnswerTheHarness() throws {
        let stacks = (Self.library as NSString).deletingLastPathComponent + "/libSoakHeapStacks.so"
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = Process()
        // awk's strings are glibc blocks: each formatted string is a malloc and a free. (Not python,
        // whose binary defines its own malloc, nor perl, whose loop need not allocate.)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/awk")
        process.arguments = ["BEGIN { while (1) s = sprintf(\"%0900d\", 1) }"]
        process.environment = ["LD_PRELOAD": "\(stacks):\(Self.library)", "LAZYSOAK_HEAP_DIR": directory,
                               "PATH": "/usr/bin:/bin"]
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let path = "\(directory)/heap.\(process.processIdentifier)"
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: path) { usleep(10_000) }
        let descriptor = open(path, O_RDWR)
        try #require(descriptor >= 0)
        let mapping = mmap(nil, Int(LAZYSOAK_HEAP_PAGE_SIZE), PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        close(descriptor)
        let page = try #require(mapping == MAP_FAILED ? nil : mapping).assumingMemoryBound(to: lazysoak_heap_page.self)
        defer { munmap(page, Int(LAZYSOAK_HEAP_PAGE_SIZE)) }
        #expect(lazysoak_load_u32(&page.pointee.answerers) & UInt32(LAZYSOAK_HEAP_ANSWERED_BY_THREAD) == 0)
        for _ in 0..<3 {
            let request = lazysoak_add_u32(&page.pointee.request, 1)
            for _ in 0..<500 where lazysoak_load_u32(&page.pointee.answered) != request { usleep(2_000) }
            #expect(lazysoak_load_u32(&page.pointee.answered) == request)
        }
        #expect(FileManager.default.fileExists(atPath: "\(directory)/stacks.\(process.processIdentifier)"))
    }

    @Test func noPageIsAClearMessage() {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard case .failure(.noPage(let message)) = GlibcHeapPages(directory: directory).read(pids: [getpid()]) else {
            return #expect(Bool(false))
        }
        #expect(message.contains("statically linked"))
    }
}
