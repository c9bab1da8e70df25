import Glibc
import PosixSupport

/// Which of a process's /proc files the sampler cannot open, and what that costs the run.
///
/// `stat` and `status` are readable by anyone; `smaps_rollup` and the `fd` directory need the
/// right to trace the process (the same user, or root). For another user's process those columns
/// stay empty, and the judged `fds` then has no value, which makes the run INCONCLUSIVE: a metric
/// nobody could read did not pass. Saying so at the start spares a user an unexplained verdict.
package struct ProcAccess: Sendable, Equatable {
    /// One file that could not be opened.
    package struct Denied: Sendable, Equatable {
        package var file: String
        /// The samples.csv columns it would have filled.
        package var columns: [String]
        /// The error, as the system gave it.
        package var reason: String
    }

    package var denied: [Denied] = []

    /// The files each column group reads.
    static let files: [(name: String, directory: Bool, columns: [String])] = [
        ("stat", false, ["cpu_seconds", "minor_faults", "major_faults"]),
        ("status", false, ["rss_bytes", "rss_anon_bytes", "hwm_bytes", "threads"]),
        ("smaps_rollup", false, ["pss_bytes", "private_bytes"]),
        ("fd", true, ["fds"]),
    ]

    /// Tries to open each file of `pid` the sampler reads.
    package static func check(pid: pid_t) -> ProcAccess {
        var access = ProcAccess()
        for file in files {
            let path = "/proc/\(pid)/\(file.name)"
            do {
                let descriptor = try ProcReadBuffer.open(path, directory: file.directory)
                try? descriptor.close()
            } catch {
                access.denied.append(Denied(file: path, columns: file.columns, reason: error.message))
            }
        }
        return access
    }

    /// A sentence for the user, or nil when every file opened. `owner` and `viewer` are uids.
    package func message(owner: uid_t?, viewer: uid_t) -> String? {
        guard !denied.isEmpty else { return nil }
        let files = denied.map { "\($0.file) (\($0.reason))" }.joined(separator: ", ")
        let columns = denied.flatMap(\.columns)
        let whose = owner.map { $0 == viewer ? "" : " (the process belongs to uid \($0); soak runs as uid \(viewer))" }
            ?? ""
        var text = "cannot read \(files)\(whose): the \(columns.joined(separator: ", ")) column(s) stay empty"
        if columns.contains("fds") || columns.contains("rss_bytes") || columns.contains("threads") {
            text += "; a judged metric without values makes the run INCONCLUSIVE, never a pass"
        }
        return text + ". Run soak as the process's user or as root to read them"
    }
}
