import Glibc
import MiniHTTP
import PosixSupport
import SoakProfiles

/// One process of the sampled tree, with its /proc files held open between samples.
///
/// Holding the descriptors makes each sample a few `pread` calls with no path lookup, and ties
/// them to this process: after it exits they fail with `ESRCH`, so a reused pid is never
/// mistaken for it.
final class TrackedProcess {
    /// What one sample read from this process; a nil field could not be read.
    struct Reading {
        var status = ProcStatus()
        var stat = ProcStat()
        var smapsRollup = ProcSmapsRollup()
        var fds: Int?
    }

    let pid: pid_t
    // nil: not opened (permission, or not needed yet); its fields read as missing.
    private let stat: FileDescriptor?
    private let status: FileDescriptor?
    private var smapsRollup: FileDescriptor?
    private var fdDirectory: FileDescriptor?
    /// The optional files tried so far: each is opened once, when a sample first needs it (a
    /// profile may read smaps_rollup on troughs only), and not retried after a failure.
    private var opened: ProcFiles = []

    /// Opens stat and status, and the other files in `files`; nil when the process does not exist.
    ///
    /// A file that cannot be opened for another reason (permission) stays closed and its fields
    /// read as missing, so one unreadable file never hides the others.
    init?(pid: pid_t, files: ProcFiles) {
        let directory = "/proc/\(pid)/"
        do {
            stat = try ProcReadBuffer.open(directory + "stat")
        } catch {
            if error.meansProcessGone { return nil }
            stat = nil
        }
        self.pid = pid
        status = try? ProcReadBuffer.open(directory + "status")
        open(files)
    }

    private func open(_ files: ProcFiles) {
        let missing = files.subtracting(opened).subtracting(.status)
        guard !missing.isEmpty else { return }
        opened.formUnion(missing)
        if missing.contains(.smapsRollup) { smapsRollup = try? ProcReadBuffer.open("/proc/\(pid)/smaps_rollup") }
        if missing.contains(.fds) { fdDirectory = try? ProcReadBuffer.open("/proc/\(pid)/fd", directory: true) }
    }

    deinit {
        try? stat?.close()
        try? status?.close()
        try? smapsRollup?.close()
        try? fdDirectory?.close()
    }

    /// Reads one sample; nil when the process has exited (gone, or a zombie whose memory is
    /// already freed), so the caller drops it instead of recording zeros or missing values.
    func read(
        into buffer: ProcReadBuffer, files: ProcFiles, counter: ProcDescriptorCounter
    ) -> Reading? {
        open(files)
        var reading = Reading()
        // stat first: its state tells a zombie apart before the other reads are spent on it.
        switch buffer.read(descriptor: stat) {
        case .bytes(let bytes): reading.stat = ProcStat(parsing: bytes)
        case .gone: return nil
        case .failed: break
        }
        if reading.stat.isZombieOrDead { return nil }
        if files.contains(.status) {
            switch buffer.read(descriptor: status) {
            case .bytes(let bytes): reading.status = ProcStatus(parsing: bytes)
            case .gone: return nil
            case .failed: break
            }
        }
        if files.contains(.smapsRollup) {
            switch buffer.read(descriptor: smapsRollup) {
            case .bytes(let bytes): reading.smapsRollup = ProcSmapsRollup(parsing: bytes)
            case .gone: return nil
            case .failed: break
            }
        }
        if files.contains(.fds) {
            switch counter.count(directory: fdDirectory) {
            case .count(let count): reading.fds = count
            case .gone: return nil
            case .failed: break
            }
        }
        return reading
    }
}
