import Glibc
import SoakAnalysis

/// One source of columns beyond the process tree's /proc files: a Prometheus endpoint, the JVM's
/// perf data, the glibc preload page, a cgroup.
///
/// A source declares its columns once, when the run starts (`columns`, in samples.csv order; which
/// of them are judged, with what unit and whether they decide, comes from `DeclaredColumns` so a
/// judge of any run folder knows it from the profile alone). At each sample the sampler asks every
/// source to fill its columns; a value it cannot read stays missing, never zero, and the source
/// says why once in `notice` (recorded in events.jsonl and shown), and again only when the reason
/// changes.
package protocol MetricSource: AnyObject {
    /// The samples.csv columns this source fills.
    var columns: [String] { get }
    /// Reads the source into `row.declared`. `tree` is the target's process tree, root first.
    func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow)
    /// A message about the source not yet said: why its values are missing, or that they came back.
    func takeNotice() -> String?
}

/// Remembers a source's current problem so it is said once, not at every sample.
package struct SourceNotice {
    private var current: String?
    private var pending: String?
    private let name: String

    package init(source name: String) { self.name = name }

    /// Sets the current problem (nil: none); a change becomes the pending notice.
    package mutating func set(_ problem: String?) {
        guard problem != current else { return }
        if let problem {
            pending = "\(name): \(problem)"
        } else if current != nil {
            pending = "\(name): values read again"
        }
        current = problem
    }

    /// The pending notice, once.
    package mutating func take() -> String? {
        defer { pending = nil }
        return pending
    }
}
