import Glibc
import PosixSupport
import SoakUnits

/// A folder that cannot hold run folders, said as a sentence: `/dev/null: not a directory`.
package struct RunFolderError: Error, CustomStringConvertible, Sendable {
    /// The folder as the user named it (`--out`).
    package let path: String
    /// What is wrong with it.
    package let problem: String

    package var description: String { "\(path.isEmpty ? "''" : ClippedText.clip(path)): \(ClippedText.clip(problem, limit: 240))" }
}

extension RunFolder {
    /// Makes `parent` (and the folders above it) when missing, and checks that it is a folder a
    /// run folder can be made in, so `--out` problems are one sentence before anything starts
    /// (Foundation's `createDirectory` said them as a `CocoaError(...)` dump).
    ///
    /// With `probing`, it also makes and removes an empty folder inside, which finds what
    /// permissions alone do not: `/proc` and `/sys` refuse new entries even to root.
    package static func prepareParent(_ parent: String, probing: Bool = false) throws(RunFolderError) {
        guard !parent.isEmpty else {
            throw RunFolderError(path: parent, problem: "an empty path; expected a folder like reports")
        }
        var prefix = parent.hasPrefix("/") ? "/" : ""
        for component in parent.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if component == "." || component == ".." { continue }
            try makeFolder(prefix, within: parent)
        }
        guard probing else { return }
        var template = Array("\(parent)/.soak-probe-XXXXXX".utf8CString)
        do {
            _ = try SystemCall.unwrapping("mkdtemp") { mkdtemp(&template) }
            try SystemCall.once("rmdir") { rmdir(template) }
        } catch {
            throw RunFolderError(path: parent, problem: "cannot create a run folder in it: \(error.message)")
        }
    }

    /// Makes one folder of the path, accepting one that is already there.
    private static func makeFolder(_ path: String, within parent: String) throws(RunFolderError) {
        do {
            try FileSystem.makeDirectory(path, permissions: 0o755)
        } catch where error.errno == EEXIST {
            let isFolder = (try? FileSystem.status(of: path)).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
            guard isFolder else {
                let problem = path == parent ? "not a directory" : "\(path) is not a directory"
                throw RunFolderError(path: parent, problem: problem)
            }
        } catch {
            let what = path == parent ? "cannot create it" : "cannot create \(path)"
            throw RunFolderError(path: parent, problem: "\(what): \(error.message)")
        }
    }
}
