import Glibc
import PosixSupport

/// Finds the JVM in a target's process tree and its perf-data file.
///
/// The process soak starts is often not the JVM: a shell script, `gradle run`, a wrapper. So the
/// tree is searched for a process whose executable is named `java`, or that has `libjvm.so`
/// mapped (a custom launcher embedding the JVM). Its perf-data file is `hsperfdata_<user>/<pid>`
/// in the JVM's own `/tmp` (HotSpot ignores `java.io.tmpdir` for it), reached through
/// `/proc/<pid>/root` so a JVM in a container, whose pid differs in its namespace, is found too.
package enum JVMLocator {
    /// Where the JVM of a tree is, or why none was found.
    package enum Outcome: Sendable, Equatable {
        case found(pid: pid_t, perfData: String)
        case noJVM(String)
        case noPerfData(pid: pid_t, reason: String)
    }

    /// Searches `pids` (root first) for a JVM and its perf-data file.
    package static func locate(in pids: [pid_t], procRoot: String = "/proc") -> Outcome {
        guard let pid = pids.first(where: { isJVM($0, procRoot: procRoot) }) else {
            return .noJVM("no JVM in the target's process tree (\(pids.count) processes, none running java "
                + "or mapping libjvm.so)")
        }
        if let path = perfDataPath(of: pid, procRoot: procRoot) { return .found(pid: pid, perfData: path) }
        let arguments = commandLine(of: pid, procRoot: procRoot)
        let reason: String
        if arguments.contains("-XX:-UsePerfData") {
            reason = "the JVM (pid \(pid)) runs with -XX:-UsePerfData, so it publishes no counters: remove the flag"
        } else if arguments.contains("-XX:+PerfDisableSharedMem") {
            reason = "the JVM (pid \(pid)) runs with -XX:+PerfDisableSharedMem, so its counters are not in a file: "
                + "remove the flag"
        } else {
            reason = "the JVM (pid \(pid)) has no perf-data file hsperfdata_*/\(nsPID(of: pid, procRoot: procRoot)) "
                + "in its /tmp (not created yet, or /tmp is not writable for it)"
        }
        return .noPerfData(pid: pid, reason: reason)
    }

    /// Whether the process runs a JVM: its executable is `java`, or it maps `libjvm.so`.
    static func isJVM(_ pid: pid_t, procRoot: String) -> Bool {
        if let exe = readLink("\(procRoot)/\(pid)/exe"), exe.split(separator: "/").last == "java" { return true }
        if let first = commandLine(of: pid, procRoot: procRoot).first, first.split(separator: "/").last == "java" {
            return true
        }
        let buffer = ProcReadBuffer(capacity: 64 * 1024)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let maps) = buffer.read(path: "\(procRoot)/\(pid)/maps") else { return false }
            return String(decoding: maps, as: UTF8.self).contains("/libjvm.so")
        }
    }

    /// `hsperfdata_*/<nspid>` under the process's own `/tmp`, or nil.
    static func perfDataPath(of pid: pid_t, procRoot: String) -> String? {
        let nsPID = nsPID(of: pid, procRoot: procRoot)
        for tmp in ["\(procRoot)/\(pid)/root/tmp", "/tmp"] {
            guard let stream = opendir(tmp) else { continue }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard name.hasPrefix("hsperfdata_") else { continue }
                let candidate = "\(tmp)/\(name)/\(nsPID)"
                if FileSystem.isReadable(candidate) { return candidate }
            }
        }
        return nil
    }

    /// The pid as the process sees itself (the last `NSpid:` field), which names its file.
    static func nsPID(of pid: pid_t, procRoot: String) -> pid_t {
        let buffer = ProcReadBuffer(capacity: 4096)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let status) = buffer.read(path: "\(procRoot)/\(pid)/status") else { return pid }
            let text = String(decoding: status, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
                  let last = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last,
                  let value = pid_t(last)
            else { return pid }
            return value
        }
    }

    /// The process's arguments from `/proc/<pid>/cmdline`.
    static func commandLine(of pid: pid_t, procRoot: String) -> [String] {
        let buffer = ProcReadBuffer(capacity: 4096)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let bytes) = buffer.read(path: "\(procRoot)/\(pid)/cmdline") else { return [] }
            return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    private static func readLink(_ path: String) -> String? {
        var target = [CChar](repeating: 0, count: 4096)
        guard let count = try? SystemCall.retrying("readlink", { readlink(path, &target, target.count - 1) }),
              count > 0
        else { return nil }
        return String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
