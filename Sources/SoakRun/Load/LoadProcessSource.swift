import Glibc
import SoakAnalysis
import SoakProfiles
import Synchronization

/// Samples a load command's process tree into `load_rss` and `load_threads`: recorded beside the
/// target's columns so a generator that grows is seen, but never part of the target's tree nor
/// of the verdict (a load generator that leaks must not fail the target).
package final class LoadProcessSource: MetricSource {
    package let columns = LoadColumns.metrics.map(\.rawValue)
    /// The load's pid once it runs; it starts after the target is ready, after the sampler is made.
    private let root = Mutex<pid_t?>(nil)
    private let discovery = ProcessTreeDiscovery()
    private let buffer = ProcReadBuffer()
    private var notice = SourceNotice(source: "load command")

    package init() {}

    /// Starts sampling the process `pid` and its descendants.
    package func follow(_ pid: pid_t) { root.withLock { $0 = pid } }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        guard let pid = root.withLock({ $0 }) else { return }
        var rss = 0
        var threads = 0
        var seen = false
        for member in discovery.tree(of: pid, buffer: buffer) {
            guard case .bytes(let bytes) = buffer.read(path: "/proc/\(member)/status") else { continue }
            let status = ProcStatus(parsing: bytes)
            rss += status.rssBytes ?? 0
            threads += status.threads ?? 0
            seen = true
        }
        // A load that ended has no memory to show: missing, never zero.
        notice.set(seen ? nil : "pid \(pid) is gone; load_rss and load_threads stay empty")
        guard seen else { return }
        row.declared["load_rss"] = Double(rss)
        row.declared["load_threads"] = Double(threads)
    }

    package func takeNotice() -> String? { notice.take() }
}
