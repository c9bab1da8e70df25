import Glibc

/// Whether the `soak` process that owns a run folder is still alive, so a folder whose `run.json`
/// still says `running` can be told apart from one whose harness was killed.
enum HarnessLiveness {
    /// True when `pid` is a live `soak` process. A recycled pid running something else counts as
    /// dead: its command line is checked, not just its existence.
    static func isRunning(pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let state = processState(pid), state != "Z", state != "X" else { return false }
        guard let arguments = commandLine(pid), let first = arguments.first else { return false }
        return first.split(separator: "/").last.map { $0.hasPrefix("soak") } ?? false
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
