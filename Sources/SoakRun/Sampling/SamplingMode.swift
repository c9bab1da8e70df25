import SoakProfiles

/// Which /proc files a `ProcessTreeSampler` reads for each process, as the bench names the two
/// sets it compares (a run reads what its profile's `sampling.reads` says, per sample kind).
package enum SamplingMode: String, Sendable, CaseIterable {
    /// status, stat, smaps_rollup and the descriptor count: every column the sampler feeds.
    case full
    /// status and stat only (RSS, threads, CPU, faults); PSS, private bytes and descriptors are
    /// recorded as missing. smaps_rollup walks every mapping and dominates the cost of a sample,
    /// so this is the mode the C floor is compared with.
    case rssAndCPU = "rss-cpu"

    /// The files this mode reads besides stat.
    package var files: ProcFiles { self == .full ? .all : [.status] }
}
