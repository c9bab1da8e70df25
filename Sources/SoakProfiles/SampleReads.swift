/// Which /proc files the sampler reads for each process, per sample kind: the profile's
/// `sampling.reads`. `stat` is always read (it tells a live process from a zombie), so it is
/// not named.
///
/// The files differ a hundredfold in cost: status, stat and the descriptor count take a few
/// microseconds, while smaps_rollup walks every mapping of the process (about 270 µs for
/// tenantd, prmon issue #219). The analysis judges troughs, so by default the expensive file is
/// read on troughs only, and on every sample when the profile takes no troughs.
package struct ProcFiles: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// VmRSS, RssAnon, VmHWM, threads.
    package static let status = ProcFiles(rawValue: 1)
    /// The number of open descriptors (a directory listing).
    package static let fds = ProcFiles(rawValue: 2)
    /// Pss and private bytes: the kernel walks every mapping.
    package static let smapsRollup = ProcFiles(rawValue: 4)

    /// Every file.
    package static let all: ProcFiles = [.status, .fds, .smapsRollup]

    /// The names a profile uses, in order.
    package static let names: [(String, ProcFiles)] = [("status", .status), ("fds", .fds), ("smaps_rollup", .smapsRollup)]

    /// The names of the files in this set, for messages and run.json.
    package var nameList: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
}

/// What each kind of sample reads.
package struct SampleReads: Sendable, Equatable {
    /// Periodic samples.
    package var periodic: ProcFiles
    /// Trough samples, once per cycle just before the request.
    package var trough: ProcFiles
    /// Of the samples whose set names smaps_rollup, one in this many reads it (the first does).
    /// An accelerated replay takes about as many troughs as periodic samples, so reading it on
    /// every trough would still cost several times the RSS+CPU set on average; PSS only warns,
    /// and a trough series thinned 32 times still has 120 points over the 8-day scenario.
    package var smapsRollupEvery: Int

    package init(periodic: ProcFiles = [.status, .fds], trough: ProcFiles = .all, smapsRollupEvery: Int = 32) {
        self.periodic = periodic
        self.trough = trough
        self.smapsRollupEvery = max(1, smapsRollupEvery)
    }

    /// The defaults for a profile: without troughs, the analysis judges periodic samples, so they
    /// read everything.
    package static func defaults(troughs: Bool) -> SampleReads {
        troughs ? SampleReads() : SampleReads(periodic: .all, trough: .all, smapsRollupEvery: 32)
    }
}
