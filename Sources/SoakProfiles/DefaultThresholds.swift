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

/// When a culprit series counts as growing, per source. Data, as the metrics' thresholds are.
///
/// Types are counted objects: a type that gains one instance every 100 cycles, and at least 5 in
/// all, is named. Stacks are live bytes estimated from samples (one every 512 KiB by default), so
/// their series move in steps of about the sampling mean: the floor is a few steps. Classes are
/// instance bytes after a full collection, like `jvm_old_used`.
package enum CulpritThresholds {
    package static let defaults: [CulpritSource: Threshold] = [
        .types: Threshold(perCycle: 0.01, floor: 5),
        .stacks: Threshold(perCycle: 32, floor: 16_384),
        .classes: Threshold(perCycle: 64, floor: 65_536),
    ]
}
