import Glibc
import PosixSupport

/// Whether the `soak` process that owns a run folder is still alive, so a folder whose `run.json`
/// still says `running` can be told apart from one whose harness was killed.
package enum HarnessLiveness {
    /// True when `pid` is a live `soak` process. A recycled pid running something else counts as
    /// dead: its command line is checked, not just its existence.
    package static func isRunning(pid: Int32) -> Bool {
        guard isAlive(pid: pid) else { return false }
        guard let arguments = commandLine(pid), let first = arguments.first else { return false }
        return first.split(separator: "/").last.map { $0.hasPrefix("soak") } ?? false
    }

    /// True when `pid` exists and has not ended (not a zombie), whatever it runs. For a process
    /// this harness has just started: until the kernel has laid out the new program's arguments,
    /// a moment after exec, its command line reads empty, and `isRunning` would call it dead.
    package static func isAlive(pid: Int32) -> Bool {
        guard pid > 0, PosixProcess.exists(pid) else { return false }
        guard let state = processState(pid), state != "Z", state != "X" else { return false }
        return true
    }

    /// The single-letter state from `/proc/PID/stat`, read after the last `)`.
    private static func processState(_ pid: Int32) -> Character? {
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].first { $0 != " " }
    }

    private static func commandLine(_ pid: Int32) -> [String]? {
        read("/proc/\(pid)/cmdline").map { $0.split(separator: "\0").map(String.init) }
    }

    private static func read(_ path: String) -> String? {
        // The bytes live in the buffer's storage: keep it alive while they are copied out.
        let buffer = ProcReadBuffer(capacity: 4096)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let bytes) = buffer.read(path: path) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
