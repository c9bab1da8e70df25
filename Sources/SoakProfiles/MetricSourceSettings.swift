import SoakAnalysis

extension Profile {
    /// A column read from the target's Prometheus endpoint (`target.command.metrics`).
    package struct PrometheusColumn: Sendable, Equatable {
        /// The column's name in samples.csv and the reports.
        package var column: String
        /// The series, as a PromQL selector: `nodejs_heap_size_used_bytes`, `x{area="heap"}`.
        package var series: String
        package var unit: MetricUnit
        /// Whether a leak in it fails the run (true) or only warns.
        package var decides: Bool

        package init(column: String, series: String, unit: MetricUnit, decides: Bool = true) {
            self.column = column
            self.series = series
            self.unit = unit
            self.decides = decides
        }
    }

    /// `target.command.jvm`: read HotSpot's perf-data file of the JVM in the target's tree.
    package struct JVMSettings: Sendable, Equatable {
        /// Run `jcmd <pid> GC.run` before each trough sample, so old-generation use is live data.
        package var gcAtTrough: Bool = false
        /// Run `jcmd <pid> GC.class_histogram` at every `histogramEvery`-th trough and judge each
        /// class's live bytes as a culprit.
        package var classHistogram: Bool = false
        /// Every how many troughs a histogram is taken: each one starts a JVM (about a second).
        package var histogramEvery: Int = 5

        package init(gcAtTrough: Bool = false, classHistogram: Bool = false, histogramEvery: Int = 5) {
            self.gcAtTrough = gcAtTrough
            self.classHistogram = classHistogram
            self.histogramEvery = histogramEvery
        }
    }

    /// `target.command.heap: {"kind": "glibc", "stacks": true}`: sample allocation stacks in the
    /// preload library, by bytes allocated, and judge each stack's live bytes as a culprit.
    package struct StackSampling: Sendable, Equatable {
        /// Mean bytes allocated between two samples (a Poisson process over bytes, as tcmalloc's
        /// and jemalloc's heap profilers sample).
        package var meanBytes: Int = 512 * 1024

        package init(meanBytes: Int = 512 * 1024) { self.meanBytes = meanBytes }
    }

    /// `target.command.heap`: which allocator's counters to publish into the target.
    package enum HeapCounters: String, Sendable, Equatable {
        /// libSoakHeapPreload.so, LD_PRELOADed: glibc's mallinfo2.
        case glibc
    }
}

/// The columns each metric source declares, known from the profile alone, so the judge, the
/// reports and `soak diff` of any run folder agree with what the sampler recorded.
///
/// Decides or warns: a source's main figure decides (old-generation use after a full GC, glibc's
/// bytes in use, a cgroup's anonymous memory, a Prometheus series unless told otherwise); the
/// figures that move with caches, collection timing or page cache only warn. Counters that only
/// ever rise (collections, GC time) are recorded but never judged.
package enum DeclaredColumns {
    /// glibc heap counters from the preload page.
    package static let glibc: [Metric] = [
        Metric(declared: "glibc_heap_in_use", unit: .bytes, decides: true),
        Metric(declared: "glibc_heap_free", unit: .bytes, decides: false),
        Metric(declared: "glibc_heap_arena", unit: .bytes, decides: false),
        Metric(declared: "glibc_heap_mmapped", unit: .bytes, decides: false),
    ]

    /// JVM figures from HotSpot's perf data.
    package static let jvm: [Metric] = [
        Metric(declared: "jvm_old_used", unit: .bytes, decides: true),
        Metric(declared: "jvm_metaspace_used", unit: .bytes, decides: true),
        Metric(declared: "jvm_heap_used", unit: .bytes, decides: false),
    ]

    /// JVM columns recorded but not judged: they only ever rise.
    package static let jvmRecorded = ["jvm_old_capacity", "jvm_young_gcs", "jvm_full_gcs", "jvm_gc_seconds"]

    /// A cgroup's memory, when the target runs in a memory cgroup of its own.
    package static let cgroup: [Metric] = [
        Metric(declared: "cgroup_anon", unit: .bytes, decides: true),
        Metric(declared: "cgroup_usage", unit: .bytes, decides: false),
        Metric(declared: "cgroup_file", unit: .bytes, decides: false),
    ]

    /// Every judged column a profile's target declares, in report order.
    package static func metrics(of target: Profile.Target) -> [Metric] {
        guard case .command(let command) = target else { return [] }
        var metrics = command.metrics.map { Metric(declared: $0.column, unit: $0.unit, decides: $0.decides) }
        if command.jvm != nil { metrics += jvm }
        if command.heap == .glibc { metrics += glibc }
        return metrics + cgroup
    }

    /// Every column a profile's target adds to samples.csv, judged or not, in file order.
    package static func columns(of target: Profile.Target) -> [String] {
        guard case .command(let command) = target else { return [] }
        var names = command.metrics.map(\.column)
        if command.jvm != nil { names += jvm.map(\.rawValue) + jvmRecorded }
        if command.heap == .glibc { names += glibc.map(\.rawValue) }
        return names + cgroup.map(\.rawValue)
    }

    /// The threshold a declared metric gets when the profile lists none: like `heap_in_use` for
    /// bytes (64 B per cycle, 64 KiB floor), like the counted metrics otherwise.
    package static func defaultThreshold(for metric: Metric) -> Threshold {
        switch metric.unit {
        case .bytes: Threshold(perCycle: 64, floor: 65_536)
        case .seconds: Threshold(perCycle: 0.001, floor: 1)
        default: Threshold(perCycle: 0.01, floor: 10)
        }
    }
}
