import SoakAnalysis

extension Threshold {
    /// Thresholds for metrics a profile does not list. Data, not analysis logic: a profile overrides
    /// any of them under `thresholds`.
    ///
    /// Byte metrics allow a little growth per cycle (allocator and page-cache noise) and a floor well
    /// above one page of RSS; counted metrics allow no steady growth beyond a few units.
    package static let defaults: [Metric: Threshold] = [
        .rss: Threshold(perCycle: 512, floor: 1_048_576),
        .rssAnon: Threshold(perCycle: 512, floor: 1_048_576),
        .pss: Threshold(perCycle: 512, floor: 1_048_576),
        .heapInUse: Threshold(perCycle: 64, floor: 65_536),
        .liveInstances: Threshold(perCycle: 0.01, floor: 10),
        .fds: Threshold(perCycle: 0.01, floor: 5),
        .threads: Threshold(perCycle: 0.01, floor: 3),
        .harnessRSS: Threshold(perCycle: 512, floor: 2_097_152),
    ]
}
