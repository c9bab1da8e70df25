import FoundationEssentials
import PosixSupport

/// Why a file or folder could not be written, in a few words a person can act on: Foundation's
/// own errors print as a dump of domains and user-info keys.
package enum WriteProblem {
    package static func describe(_ path: String, _ error: any Error) -> String {
        let parent = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        if !FileSystem.exists(parent) { return "the folder \(parent) does not exist" }
        if !FileSystem.isWritable(parent) { return "no permission to write in \(parent)" }
        let posix = error as? POSIXError ?? (error as? CocoaError)?.underlying as? POSIXError
        if let posix { return SystemError.message(for: posix.code.rawValue) }
        return "\(error)"
    }
}
