import Glibc
import PosixSupport

/// A running process that soak did not start, known by its pid and its start time, so a pid the
/// kernel hands to a new process after this one exits is never taken for it.
package struct WatchedProcess: Sendable, Equatable {
    package var pid: pid_t
    /// Field 22 of `/proc/PID/stat`, in clock ticks since boot: unique to this process's life.
    package var startTicks: UInt64
    /// Its command line as `/proc/PID/cmdline` gives it (the name in brackets for a kernel thread).
    package var command: String
    /// The real uid from `/proc/PID/status`; nil when that file could not be read.
    package var uid: uid_t?

    /// Finds `pid`; the error says why it cannot be watched (gone, a zombie, soak itself).
    package static func find(pid: pid_t) throws(WatchError) -> WatchedProcess {
        guard pid > 0 else { throw WatchError("expected a process id above 0, found \(pid)") }
        guard pid != getpid() else { throw WatchError("pid \(pid) is this soak process itself; watch another one") }
        guard let stat = ProcStatFields.read(pid: pid) else {
            throw WatchError("no process \(pid): it does not exist or has exited (or /proc hides it from this user)")
        }
        guard !stat.isZombie else {
            throw WatchError(
                "process \(pid) has exited (a zombie its parent has not reaped); there is nothing to watch")
        }
        return WatchedProcess(
            pid: pid, startTicks: stat.startTicks, command: commandLine(pid: pid) ?? "[\(stat.name)]",
            uid: realUID(pid: pid))
    }

    /// Whether this very process still runs (not exited, not a zombie, pid not reused).
    package var isRunning: Bool {
        guard let stat = ProcStatFields.read(pid: pid) else { return false }
        return stat.startTicks == startTicks && !stat.isZombie
    }

    /// The arguments joined by spaces, cut to 200 characters for messages and run.json.
    static func commandLine(pid: pid_t) -> String? {
        guard let text = ProcStatFields.readText("/proc/\(pid)/cmdline"), !text.isEmpty else { return nil }
        let words = text.split(separator: "\0", omittingEmptySubsequences: true).joined(separator: " ")
        return words.count > 200 ? String(words.prefix(200)) + "..." : words
    }

    static func realUID(pid: pid_t) -> uid_t? {
        guard let text = ProcStatFields.readText("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Uid:") {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { uid_t($0) }
        }
        return nil
    }
}

/// The few `/proc/PID/stat` fields that identify a process: its name, state and start time.
struct ProcStatFields: Equatable {
    var name: String
    var state: Character
    var startTicks: UInt64

    var isZombie: Bool { state == "Z" || state == "X" || state == "x" }

    /// Parses a stat line; the name may hold spaces and `)`, so fields start after the last `)`.
    init?(parsing text: String) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") , open < close else {
            return nil
        }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        name = String(text[text.index(after: open)..<close])
        self.state = state
        startTicks = start
    }

    static func read(pid: pid_t) -> ProcStatFields? {
        readText("/proc/\(pid)/stat").flatMap(ProcStatFields.init(parsing:))
    }

    /// A small /proc file as text; nil when it cannot be read.
    static func readText(_ path: String) -> String? {
        let buffer = ProcReadBuffer(capacity: 4096)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let bytes) = buffer.read(path: path) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// Why a watch cannot start or go on, in words a person can act on.
package struct WatchError: Error, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
