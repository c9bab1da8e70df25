import Foundation

/// Real /proc files captured on the development machine (see Fixtures/proc).
///
/// Found relative to this source file rather than through `Bundle.module`: `swift test` runs
/// from the package, so the path always exists, and it works the same in debug and release.
enum ProcFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/proc")

    /// The bytes of `Fixtures/proc/<process>/<file>`.
    static func bytes(_ process: String, _ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(process).appendingPathComponent(file)))
    }

    /// The fixture's bytes cut just before the first occurrence of `marker` plus `keeping` bytes.
    static func truncated(_ bytes: [UInt8], before marker: String, keeping: Int = 0) -> [UInt8] {
        let needle = Array(marker.utf8)
        let start = (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }!
        return Array(bytes[0..<start + keeping])
    }

    /// The fixture's bytes without the whole line that starts with `prefix`.
    static func removingLine(startingWith prefix: String, from bytes: [UInt8]) -> [UInt8] {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        return Array(lines.filter { !$0.starts(with: prefix.utf8) }.joined(separator: [UInt8(ascii: "\n")]))
    }
}
