import Foundation
import Glibc
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

    @Test func noPageIsAClearMessage() {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard case .failure(.noPage(let message)) = GlibcHeapPages(directory: directory).read(pids: [getpid()]) else {
            return #expect(Bool(false))
        }
        #expect(message.contains("statically linked"))
    }
}
