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

/// The series the analysis judges for leaks, each backed by one `SampleColumn`.
public enum Metric: String, CaseIterable, Sendable, Codable {
    case rss
    /// Anonymous resident memory: the heap and stacks, which only the target itself can grow.
    case rssAnon = "rss_anon"
    case pss
    case heapInUse = "heap_in_use"
    case liveInstances = "live_instances"
    case fds
    case threads
    case harnessRSS = "harness_rss"

    /// The column the metric reads.
    public var column: SampleColumn {
        switch self {
        case .rss: .rssBytes
        case .rssAnon: .rssAnonBytes
        case .pss: .pssBytes
        case .heapInUse: .heapInUseBytes
        case .liveInstances: .liveInstances
        case .fds: .fds
        case .threads: .threads
        case .harnessRSS: .harnessRSSBytes
        }
    }

    /// The unit a person reads the metric in.
    public var unit: MetricUnit {
        switch self {
        case .rss, .rssAnon, .pss, .heapInUse, .harnessRSS: .bytes
        case .liveInstances: .instances
        case .fds: .descriptors
        case .threads: .threads
        }
    }

    /// Whether a leak in this metric fails the run. Two metrics only warn:
    /// - `harness_rss` is the harness's own memory, not the target's;
    /// - `pss` divides every shared page among the processes mapping it, so it moves when *other*
    ///   processes start or exit (a second copy of the same binary, a test running beside the
    ///   soak) without the target allocating anything. `rss` and `rss_anon` carry the target's
    ///   own growth without that noise.
    public var decidesVerdict: Bool {
        switch self {
        case .harnessRSS, .pss: false
        default: true
        }
    }
}

/// What a metric counts; decides how numbers are formatted.
public enum MetricUnit: String, Sendable, Codable {
    case bytes, instances, descriptors, threads
}
