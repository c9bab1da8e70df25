import Glibc
import SoakProfiles

/// A set of processes sampled as one: a process tree (`ProcessTreeSampler`), or the members of a
/// cgroup (`CgroupMemberSampler`) that `soak watch --cgroup` reads.
package protocol ProcessSetSampling: AnyObject {
    /// The process the set is named after (the tree's root, a cgroup's first member).
    var rootPID: pid_t { get }
    /// The processes as of the last sample, root first.
    var pids: [pid_t] { get }
    /// Reads stat and `files` of every process once and returns the sums (the columns of the
    /// files not read are missing); `.vanished` once the set is gone.
    func sample(reading files: ProcFiles) -> ProcessTreeSample
}

extension ProcessTreeSampler: ProcessSetSampling {}

extension ProcessTreeSample {
    /// Adds one process's reading to the sums.
    mutating func add(_ reading: TrackedProcess.Reading, clockTicksPerSecond: Int) {
        processes += 1
        Self.add(reading.status.rssBytes, to: &rssBytes)
        Self.add(reading.status.rssAnonBytes, to: &rssAnonBytes)
        Self.add(reading.status.hwmBytes, to: &hwmBytes)
        Self.add(reading.status.threads, to: &threads)
        Self.add(reading.smapsRollup.pssBytes, to: &pssBytes)
        Self.add(reading.smapsRollup.privateBytes, to: &privateBytes)
        Self.add(reading.fds, to: &fds)
        Self.add(reading.stat.minorFaults, to: &minorFaults)
        Self.add(reading.stat.majorFaults, to: &majorFaults)
        let seconds = reading.stat.cpuSeconds(clockTicksPerSecond: clockTicksPerSecond)
        if let total = cpuSeconds, let seconds {
            cpuSeconds = total + seconds
        } else {
            cpuSeconds = nil
        }
    }

    /// One missing value makes the sum missing: a partial sum would read as a drop in memory.
    @inline(__always)
    private static func add(_ value: Int?, to total: inout Int?) {
        if let current = total, let value { total = current + value } else { total = nil }
    }

    /// A sum over no process yet, to add readings to.
    static var empty: ProcessTreeSample {
        ProcessTreeSample(
            rssBytes: 0, rssAnonBytes: 0, hwmBytes: 0, pssBytes: 0, privateBytes: 0, threads: 0, fds: 0,
            cpuSeconds: 0, minorFaults: 0, majorFaults: 0, processes: 0)
    }
}
