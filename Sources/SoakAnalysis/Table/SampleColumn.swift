/// The columns of `samples.csv`, in file order. The names carry their unit, as the README documents.
///
/// A missing reading is written as an empty field and read back as `nil`, never as zero.
public enum SampleColumn: String, CaseIterable, Sendable {
    /// Simulated seconds since the scenario started.
    case simSeconds = "sim_seconds"
    /// Wall-clock seconds since the scenario started.
    case wallSeconds = "wall_seconds"
    /// `periodic` or `trough` (see `SampleKind`).
    case kind
    /// The scenario cycle the sample belongs to (0-based).
    case cycle
    case rssBytes = "rss_bytes"
    case rssAnonBytes = "rss_anon_bytes"
    case hwmBytes = "hwm_bytes"
    case pssBytes = "pss_bytes"
    case privateBytes = "private_bytes"
    case threads
    case fds
    case cpuSeconds = "cpu_seconds"
    case minorFaults = "minor_faults"
    case majorFaults = "major_faults"
    case processes
    case heapInUseBytes = "heap_in_use_bytes"
    case heapFreeBytes = "heap_free_bytes"
    case heapArenaBytes = "heap_arena_bytes"
    case heapMmappedBytes = "heap_mmapped_bytes"
    case liveInstances = "live_instances"
    case tenantsLoaded = "tenants_loaded"
    case artifactsActual = "artifacts_actual"
    case artifactsGhost = "artifacts_ghost"
    case harnessRSSBytes = "harness_rss_bytes"

    /// The CSV header line, without a newline.
    public static var header: String { allCases.map(\.rawValue).joined(separator: ",") }
}

/// When a sample was taken.
public enum SampleKind: String, Sendable, Codable {
    /// On the sampling period, whatever the runtime was doing.
    case periodic
    /// Once per cycle at the same phase: everything unloaded, just before the next request.
    case trough
}

/// A series the analysis judges for leaks: one column of `samples.csv`, its unit, and whether a
/// leak in it fails the run.
///
/// The harness's own columns are the static members (`rss`, `heapInUse`, ...). A metric source
/// (a Prometheus series, the JVM's perf data, the glibc preload page, a cgroup) declares its
/// columns once, at the start of a run, as `Metric(declared:unit:decides:)`, and from there on
/// samples.csv, the judge, the reports and `soak diff` treat them like the built-in ones.
/// Two metrics are equal when their names are.
public struct Metric: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The name in summaries, thresholds and tolerances (`rss`, `node_heap_used`).
    public let rawValue: String
    /// The `samples.csv` column it reads (`rss_bytes`; a declared metric's own name).
    public let columnName: String
    /// The unit a person reads the metric in.
    public let unit: MetricUnit
    /// Whether a leak in this metric fails the run, or only warns.
    public let decidesVerdict: Bool

    private init(builtIn name: String, column: SampleColumn, unit: MetricUnit, decides: Bool = true) {
        rawValue = name
        columnName = column.rawValue
        self.unit = unit
        decidesVerdict = decides
    }

    /// A metric a source declares; its column in samples.csv has the same name.
    public init(declared name: String, unit: MetricUnit, decides: Bool) {
        rawValue = name
        columnName = name
        self.unit = unit
        decidesVerdict = decides
    }

    /// The built-in metric of that name; nil for any other name.
    public init?(rawValue: String) {
        guard let metric = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = metric
    }

    /// Resident memory of the target's whole process tree (VmRSS).
    public static let rss = Metric(builtIn: "rss", column: .rssBytes, unit: .bytes)
    /// Anonymous resident memory: the heap and stacks, which only the target itself can grow.
    public static let rssAnon = Metric(builtIn: "rss_anon", column: .rssAnonBytes, unit: .bytes)
    /// Only warns: PSS divides every shared page among the processes mapping it, so it moves when
    /// *other* processes start or exit (a second copy of the same binary, a test running beside
    /// the soak) without the target allocating anything. `rss` and `rss_anon` carry the target's
    /// own growth without that noise.
    public static let pss = Metric(builtIn: "pss", column: .pssBytes, unit: .bytes, decides: false)
    /// Bytes the target holds from malloc, from its own counters (mallinfo2 through `/_runtime/stats`).
    public static let heapInUse = Metric(builtIn: "heap_in_use", column: .heapInUseBytes, unit: .bytes)
    /// Objects the runtime counts in `init` and `deinit` (tenants, artifacts, instances).
    public static let liveInstances = Metric(builtIn: "live_instances", column: .liveInstances, unit: .instances)
    /// Open file descriptors of the process tree.
    public static let fds = Metric(builtIn: "fds", column: .fds, unit: .descriptors)
    /// Threads of the process tree.
    public static let threads = Metric(builtIn: "threads", column: .threads, unit: .threads)
    /// Only warns: the harness's own memory, not the target's.
    public static let harnessRSS = Metric(builtIn: "harness_rss", column: .harnessRSSBytes, unit: .bytes, decides: false)

    /// The built-in metrics, in report order.
    public static let allCases: [Metric] = [rss, rssAnon, pss, heapInUse, liveInstances, fds, threads, harnessRSS]

    /// Whether this is one of the harness's own metrics rather than a declared one.
    public var isBuiltIn: Bool { Self.allCases.contains(self) }

    public var description: String { rawValue }

    public static func == (left: Metric, right: Metric) -> Bool { left.rawValue == right.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Encoded as its name; a summary also records the unit and whether it decides, which
    /// `MetricAnalysis` uses to rebuild a declared metric.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Decodes a name: the built-in metric, or a declared one in bytes that decides (the
    /// enclosing analysis corrects both from its own keys).
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = Metric(rawValue: name) ?? Metric(declared: name, unit: .bytes, decides: true)
    }
}

/// What a metric counts; decides how numbers are formatted.
public enum MetricUnit: String, Sendable, Codable {
    case bytes, instances, descriptors, threads
    /// Anything else counted (objects, collections, connections): a declared metric's default.
    case count
    /// Durations, such as GC time.
    case seconds
}
