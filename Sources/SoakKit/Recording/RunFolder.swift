import FoundationEssentials
import Glibc

/// A run's folder, `reports/<profile>-<UTC time>/`, and the names of the files in it.
public struct RunFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var manifest: String { "\(path)/run.json" }
    public var samples: String { "\(path)/samples.csv" }
    public var events: String { "\(path)/events.jsonl" }
    public var targetStdout: String { "\(path)/target.stdout.log" }
    public var targetStderr: String { "\(path)/target.stderr.log" }
    public var profileCopy: String { "\(path)/profile.json" }
    public var registry: String { "\(path)/registry" }
    public var summaryJSON: String { "\(path)/summary.json" }
    public var reportHTML: String { "\(path)/report.html" }
    public var junitXML: String { "\(path)/junit.xml" }
    public var summaryMarkdown: String { "\(path)/summary.md" }
    public var lock: String { "\(path)/run.lock" }
    public var status: String { "\(path)/status.json" }
    public var pidFile: String { "\(path)/soak.pid" }

    /// Creates a new folder named after the profile and the UTC time under `parent`. Never reuses
    /// an existing folder: two runs must not write the same files.
    public static func create(under parent: String, profile: String, at date: Date = Date()) throws -> RunFolder {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let stamp = RunFolder.stamp(date)
        for attempt in 0..<100 {
            let name = attempt == 0 ? "\(profile)-\(stamp)" : "\(profile)-\(stamp)-\(attempt)"
            let candidate = "\(parent)/\(name)"
            // mkdir is atomic: whoever creates the folder owns it.
            if mkdir(candidate, 0o755) == 0 { return RunFolder(path: candidate) }
            guard errno == EEXIST else {
                throw SupervisorError("cannot create the run folder \(candidate): \(String(cString: strerror(errno)))")
            }
        }
        throw SupervisorError("cannot find a free run folder name under \(parent)")
    }

    /// `20261123T091544Z`.
    static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
