import Glibc
import SoakProfiles

/// Samples the memory, CPU and descriptors of a process and its descendants from /proc.
///
/// Built for multi-day soaks: after the first sample, a sample is a few `pread` calls per
/// process into one reused buffer, with no allocation. The tree is re-discovered every
/// `treeRefreshInterval` samples and right after a tracked process exits; in between, a child
/// started since the last discovery is not yet counted. The targets this harness runs keep a
/// stable tree, and discovery costs a file per thread, so it is not worth paying every sample.
///
/// Not thread-safe: one sampling loop owns it.
package final class ProcessTreeSampler {
    /// The process whose tree is sampled.
    package let rootPID: pid_t
    /// Which files each sample reads.
    package let mode: SamplingMode
    /// How many samples reuse one tree discovery (1: discover on every sample).
    package let treeRefreshInterval: Int

    private let buffer = ProcReadBuffer()
    private let discovery = ProcessTreeDiscovery()
    private let counter = ProcDescriptorCounter()
    private let clockTicksPerSecond = sysconf(Int32(_SC_CLK_TCK))
    private var tracked: [TrackedProcess] = []
    private var samplesUntilRefresh = 0
    // Once the root has exited its pid may be reused by an unrelated process; never reopen it.
    private var rootGone = false

    /// Creates a sampler; no file is opened until the first `sample()`.
    package init(rootPID: pid_t, mode: SamplingMode = .full, treeRefreshInterval: Int = 10) {
        self.rootPID = rootPID
        self.mode = mode
        self.treeRefreshInterval = max(1, treeRefreshInterval)
    }

    /// The processes of the tree as of the last sample, root first.
    package var pids: [pid_t] { tracked.map(\.pid) }

    /// Reads every process of the tree once, the files of the sampler's mode, and returns the sums.
    package func sample() -> ProcessTreeSample { sample(reading: mode.files) }

    /// Reads every process of the tree once, stat and `files`, and returns the sums; the columns
    /// of the files not read are missing.
    package func sample(reading files: ProcFiles) -> ProcessTreeSample {
        guard !rootGone else { return .vanished }
        if samplesUntilRefresh <= 0 {
            guard refreshTree() else { return rootExited() }
            samplesUntilRefresh = treeRefreshInterval
        }
        samplesUntilRefresh -= 1

        var sum = ProcessTreeSample(
            rssBytes: 0, rssAnonBytes: 0, hwmBytes: 0, pssBytes: 0, privateBytes: 0, threads: 0, fds: 0,
            cpuSeconds: 0, minorFaults: 0, majorFaults: 0, processes: 0)
        var index = 0
        while index < tracked.count {
            guard let reading = tracked[index].read(into: buffer, files: files, counter: counter) else {
                if index == 0 { return rootExited() }
                // A descendant exited: its own children went to a reaper outside the tree, but
                // a new one may have replaced it, so look again on the next sample.
                tracked.remove(at: index)
                samplesUntilRefresh = 0
                continue
            }
            sum.add(reading, clockTicksPerSecond: clockTicksPerSecond)
            index += 1
        }
        return sum.processes > 0 ? sum : rootExited()
    }

    private func rootExited() -> ProcessTreeSample {
        rootGone = true
        tracked = []
        return .vanished
    }

    /// Re-discovers the tree, keeping the open files of processes already tracked; false when
    /// the root is gone.
    private func refreshTree() -> Bool {
        let pids = discovery.tree(of: rootPID, buffer: buffer)
        guard pids.first == rootPID else { return false }
        var known: [pid_t: TrackedProcess] = [:]
        for process in tracked { known[process.pid] = process }
        var refreshed: [TrackedProcess] = []
        refreshed.reserveCapacity(pids.count)
        for pid in pids {
            if let process = known[pid] ?? TrackedProcess(pid: pid, files: []) {
                refreshed.append(process)
            } else if pid == rootPID {
                return false
            }
        }
        tracked = refreshed
        return true
    }
}
