/// The JVM figures the harness records, taken from a perf-data file.
///
/// Generation 0 is the young generation (eden and survivors), generation 1 the old one, for every
/// HotSpot collector that publishes generations (Serial, Parallel, G1). Collector 0 counts young
/// collections and collector 1 full ones (G1's "full collection pauses", Parallel's
/// "PSParallelCompact", Serial's "MSC"); times are in `sun.os.hrt.frequency` ticks.
package struct JVMMemoryReading: Sendable, Equatable {
    /// Used bytes of every space of every generation.
    package var heapUsedBytes: Int64?
    package var youngUsedBytes: Int64?
    /// Old-generation use: after a full GC, the live data a Java engineer trusts.
    package var oldUsedBytes: Int64?
    package var oldCapacityBytes: Int64?
    package var metaspaceUsedBytes: Int64?
    package var youngCollections: Int64?
    package var youngCollectionSeconds: Double?
    package var fullCollections: Int64?
    package var fullCollectionSeconds: Double?

    package init() {}

    /// Reads the figures from any source of named longs (a parsed file, or cached offsets).
    package init(long: (String) -> Int64?) {
        youngUsedBytes = Self.generationUsed(0, long: long)
        oldUsedBytes = Self.generationUsed(1, long: long)
        if let young = youngUsedBytes, let old = oldUsedBytes { heapUsedBytes = young + old }
        oldCapacityBytes = long("sun.gc.generation.1.capacity")
        metaspaceUsedBytes = long("sun.gc.metaspace.used")
        youngCollections = long("sun.gc.collector.0.invocations")
        fullCollections = long("sun.gc.collector.1.invocations")
        if let frequency = long("sun.os.hrt.frequency"), frequency > 0 {
            youngCollectionSeconds = long("sun.gc.collector.0.time").map { Double($0) / Double(frequency) }
            fullCollectionSeconds = long("sun.gc.collector.1.time").map { Double($0) / Double(frequency) }
        }
    }

    /// Reads the figures from a parsed file.
    package init(_ data: HotSpotPerfData) {
        var longs: [String: Int64] = [:]
        for entry in data.entries {
            if case .long(let value) = entry.value { longs[entry.name] = value }
        }
        self.init(long: { longs[$0] })
    }

    /// The names a reading uses, so a reader can cache their offsets.
    package static func names(spacesPerGeneration: [Int]) -> [String] {
        var names = ["sun.gc.generation.0.spaces", "sun.gc.generation.1.spaces", "sun.gc.generation.1.capacity",
                     "sun.gc.metaspace.used", "sun.gc.collector.0.invocations", "sun.gc.collector.1.invocations",
                     "sun.os.hrt.frequency", "sun.gc.collector.0.time", "sun.gc.collector.1.time"]
        for (generation, spaces) in spacesPerGeneration.enumerated() {
            names += (0..<spaces).map { "sun.gc.generation.\(generation).space.\($0).used" }
        }
        return names
    }

    /// The sum of a generation's spaces' use; nil when the file has no such generation.
    private static func generationUsed(_ generation: Int, long: (String) -> Int64?) -> Int64? {
        guard let spaces = long("sun.gc.generation.\(generation).spaces"), spaces > 0, spaces < 16 else { return nil }
        var total: Int64 = 0
        for space in 0..<Int(spaces) {
            guard let used = long("sun.gc.generation.\(generation).space.\(space).used") else { return nil }
            total += used
        }
        return total
    }
}
