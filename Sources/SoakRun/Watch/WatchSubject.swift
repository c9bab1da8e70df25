import Glibc

/// What `soak watch` samples: a process with its descendants, or every process of a cgroup.
package enum WatchSubject: Sendable, Equatable {
    case process(WatchedProcess)
    case cgroup(CgroupLocation)

    /// How messages name it: `process 1234 (python3 -m http.server)`, `cgroup /system.slice/app`.
    package var description: String {
        switch self {
        case .process(let process): "process \(process.pid) (\(process.command))"
        case .cgroup(let location): "cgroup \(location.path)"
        }
    }

    /// A short name for the run folder: `watch-1234`, `watch-app.service`.
    package var folderName: String {
        switch self {
        case .process(let process):
            return "watch-\(process.pid)"
        case .cgroup(let location):
            let last = location.path.split(separator: "/").last.map(String.init) ?? "cgroup"
            let safe = last.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" }
            return "watch-" + String(safe.prefix(60))
        }
    }
}

/// What `run.json` records of a watched subject, so a reader knows soak neither started nor
/// stopped it, and the judge knows which columns the watch had to fill.
package struct WatchRecord: Codable, Sendable, Equatable {
    /// The pid given to `soak watch PID`; nil for a cgroup.
    package var pid: Int32?
    /// The process's command line, as /proc showed it at the start.
    package var command: String?
    /// The cgroup's directory for `soak watch --cgroup`; nil for a process.
    package var cgroup: String?
    /// Whether the watch had no set end: it ran until the subject went or soak was stopped.
    package var untilExit: Bool

    package init(_ subject: WatchSubject, untilExit: Bool) {
        switch subject {
        case .process(let process):
            pid = process.pid
            command = process.command
        case .cgroup(let location):
            cgroup = location.directory
        }
        self.untilExit = untilExit
    }

    enum CodingKeys: String, CodingKey {
        case pid, command, cgroup
        case untilExit = "until_exit"
    }
}
