import Glibc
import SoakProfiles

/// Samples every process in a cgroup, as listed by its `cgroup.procs` at each sample: a container
/// or a service restarts and forks, and its group is what stays.
///
/// Members' /proc files are held open between samples as the tree sampler does; a member that left
/// is dropped. The group reads as `.vanished` once it is removed or holds no process.
package final class CgroupMemberSampler: ProcessSetSampling {
    package let location: CgroupLocation
    private let buffer = ProcReadBuffer()
    private let counter = ProcDescriptorCounter()
    private let clockTicksPerSecond = sysconf(Int32(_SC_CLK_TCK))
    private var tracked: [pid_t: TrackedProcess] = [:]
    package private(set) var pids: [pid_t] = []

    package init(location: CgroupLocation) {
        self.location = location
    }

    package var rootPID: pid_t { pids.first ?? 0 }

    package func sample(reading files: ProcFiles) -> ProcessTreeSample {
        guard let members = WatchedCgroup.members(of: location), !members.isEmpty else {
            tracked = [:]
            pids = []
            return .vanished
        }
        var sum = ProcessTreeSample.empty
        var present: [pid_t] = []
        var kept: [pid_t: TrackedProcess] = [:]
        for pid in members {
            guard let process = tracked[pid] ?? TrackedProcess(pid: pid, files: files),
                  let reading = process.read(into: buffer, files: files, counter: counter)
            else { continue }
            kept[pid] = process
            present.append(pid)
            sum.add(reading, clockTicksPerSecond: clockTicksPerSecond)
        }
        tracked = kept
        pids = present
        return sum.processes > 0 ? sum : .vanished
    }
}
