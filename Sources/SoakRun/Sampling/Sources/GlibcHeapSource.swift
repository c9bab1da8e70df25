import Glibc
import PosixSupport
import SoakAnalysis
import SoakProfiles

/// `target.command.heap: "glibc"`: the counters libSoakHeapPreload.so publishes from inside the
/// target's processes, summed over the tree.
package final class GlibcHeapSource: MetricSource {
    package let columns = DeclaredColumns.glibc.map(\.rawValue)
    private let pages: GlibcHeapPages
    private var notice = SourceNotice(source: "heap glibc")

    /// Reads the pages the library writes in `directory` (the target's `LAZYSOAK_HEAP_DIR`).
    package init(directory: String) {
        pages = GlibcHeapPages(directory: directory)
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        guard !tree.isEmpty else { return }
        switch pages.read(pids: tree) {
        case .success(let heap):
            row.declared["glibc_heap_in_use"] = heap.inUseBytes
            row.declared["glibc_heap_free"] = heap.freeBytes
            row.declared["glibc_heap_arena"] = heap.arenaBytes
            row.declared["glibc_heap_mmapped"] = heap.mmappedBytes
            notice.set(nil)
        case .failure(let problem):
            notice.set(problem.description)
        }
    }

    package func takeNotice() -> String? { notice.take() }

    /// Where a preload library is: the `override` variable, else beside the soak executable.
    package static func libraryPath(
        besides executable: String, named name: String = "libSoakHeapPreload.so",
        override: String = "LAZYSOAK_HEAP_PRELOAD"
    ) -> String? {
        if let path = ProcessEnvironment.current[override], !path.isEmpty { return path }
        let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        let candidate = (folder.isEmpty ? "." : folder) + "/" + name
        return FileSystem.isReadable(candidate) ? candidate : nil
    }
}
