/// One reading of a process tree from /proc, summed over its live processes.
///
/// Field names follow the `SampleColumn` they feed. A nil field is missing: some process's file
/// could not be read (permission) or the mode skips it; it is never reported as zero. A tree
/// whose root has exited reads as `vanished`: every field nil and `processes` 0.
package struct ProcessTreeSample: Sendable, Equatable {
    /// Sum of `VmRSS`.
    package var rssBytes: Int?
    /// Sum of `RssAnon`.
    package var rssAnonBytes: Int?
    /// Sum of `VmHWM`, each process's peak (not the tree's peak at one moment).
    package var hwmBytes: Int?
    /// Sum of smaps_rollup `Pss`.
    package var pssBytes: Int?
    /// Sum of smaps_rollup `Private_Clean` + `Private_Dirty`.
    package var privateBytes: Int?
    /// Sum of `Threads`.
    package var threads: Int?
    /// Sum of open descriptors.
    package var fds: Int?
    /// Sum of user + system CPU time of the live processes, in seconds.
    package var cpuSeconds: Double?
    /// Sum of minor page faults.
    package var minorFaults: Int?
    /// Sum of major page faults.
    package var majorFaults: Int?
    /// How many processes were read: the root and its live descendants.
    package var processes: Int

    /// The sample of a tree whose root is gone.
    package static let vanished = ProcessTreeSample(processes: 0)

    /// Creates a sample; fields left out are missing.
    package init(
        rssBytes: Int? = nil, rssAnonBytes: Int? = nil, hwmBytes: Int? = nil,
        pssBytes: Int? = nil, privateBytes: Int? = nil, threads: Int? = nil, fds: Int? = nil,
        cpuSeconds: Double? = nil, minorFaults: Int? = nil, majorFaults: Int? = nil, processes: Int
    ) {
        self.rssBytes = rssBytes
        self.rssAnonBytes = rssAnonBytes
        self.hwmBytes = hwmBytes
        self.pssBytes = pssBytes
        self.privateBytes = privateBytes
        self.threads = threads
        self.fds = fds
        self.cpuSeconds = cpuSeconds
        self.minorFaults = minorFaults
        self.majorFaults = majorFaults
        self.processes = processes
    }
}
