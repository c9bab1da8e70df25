import Glibc
import MiniHTTP
import PosixSupport

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
    // nil: not opened (permission, or not needed by the mode); its fields read as missing.
    private let stat: FileDescriptor?
    private let status: FileDescriptor?
    private let smapsRollup: FileDescriptor?
    private let fdDirectory: FileDescriptor?

    /// Opens the files `mode` needs; nil when the process does not exist.
    ///
    /// A file that cannot be opened for another reason (permission) stays closed and its fields
    /// read as missing, so one unreadable file never hides the others.
    init?(pid: pid_t, mode: SamplingMode) {
        let directory = "/proc/\(pid)/"
        do {
            stat = try ProcReadBuffer.open(directory + "stat")
        } catch {
            if error.meansProcessGone { return nil }
            stat = nil
        }
        self.pid = pid
        status = try? ProcReadBuffer.open(directory + "status")
        if mode == .full {
            smapsRollup = try? ProcReadBuffer.open(directory + "smaps_rollup")
            fdDirectory = try? ProcReadBuffer.open(directory + "fd", directory: true)
        } else {
            smapsRollup = nil
            fdDirectory = nil
        }
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
        into buffer: ProcReadBuffer, mode: SamplingMode, counter: ProcDescriptorCounter
    ) -> Reading? {
        var reading = Reading()
        // stat first: its state tells a zombie apart before the other reads are spent on it.
        switch buffer.read(descriptor: stat) {
        case .bytes(let bytes): reading.stat = ProcStat(parsing: bytes)
        case .gone: return nil
        case .failed: break
        }
        if reading.stat.isZombieOrDead { return nil }
        switch buffer.read(descriptor: status) {
        case .bytes(let bytes): reading.status = ProcStatus(parsing: bytes)
        case .gone: return nil
        case .failed: break
        }
        guard mode == .full else { return reading }
        switch buffer.read(descriptor: smapsRollup) {
        case .bytes(let bytes): reading.smapsRollup = ProcSmapsRollup(parsing: bytes)
        case .gone: return nil
        case .failed: break
        }
        switch counter.count(directory: fdDirectory) {
        case .count(let count): reading.fds = count
        case .gone: return nil
        case .failed: break
        }
        return reading
    }
}
