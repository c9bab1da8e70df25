import FoundationEssentials
import Glibc
import PosixSupport

/// A run's folder, `reports/<profile>-<UTC time>/`, and the names of the files in it.
package struct RunFolder: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    package var manifest: String { "\(path)/run.json" }
    package var samples: String { "\(path)/samples.csv" }
    package var events: String { "\(path)/events.jsonl" }
    package var culprits: String { "\(path)/culprits.jsonl" }
    package var stacks: String { "\(path)/stacks.jsonl" }
    package var stackSymbols: String { "\(path)/stack-symbols.json" }
    package var targetStdout: String { "\(path)/target.stdout.log" }
    package var targetStderr: String { "\(path)/target.stderr.log" }
    package var profileCopy: String { "\(path)/profile.json" }
    package var registry: String { "\(path)/registry" }
    package var summaryJSON: String { "\(path)/summary.json" }
    package var reportHTML: String { "\(path)/report.html" }
    package var junitXML: String { "\(path)/junit.xml" }
    package var summaryMarkdown: String { "\(path)/summary.md" }
    package var lock: String { "\(path)/run.lock" }
    package var status: String { "\(path)/status.json" }
    package var pidFile: String { "\(path)/soak.pid" }

    /// Creates a new folder named after the profile and the UTC time under `parent`. Never reuses
    /// an existing folder: two runs must not write the same files.
    package static func create(under parent: String, profile: String, at date: Date = Date()) throws -> RunFolder {
        try prepareParent(parent)
        let stamp = RunFolder.stamp(date)
        for attempt in 0..<100 {
            let name = attempt == 0 ? "\(profile)-\(stamp)" : "\(profile)-\(stamp)-\(attempt)"
            let candidate = "\(parent)/\(name)"
            // mkdir is atomic: whoever creates the folder owns it.
            do {
                try FileSystem.makeDirectory(candidate, permissions: 0o755)
                return RunFolder(path: candidate)
            } catch where error.errno == EEXIST {
                continue
            } catch {
                throw RunFolderError(
                    path: parent, problem: "cannot create the run folder \(name) in it: \(error.message)")
            }
        }
        throw SupervisorError("cannot find a free run folder name under \(parent)")
    }

    /// `20261123T091544Z`.
    package static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
