import SoakAnalysis

/// How a run's culprits are judged and named: the profile's `culprits`.
///
/// Culprits only ever warn, so these decide which types, stacks and classes a report names as
/// growing, never a run's verdict. Thresholds are data, as the metrics' are: a source the profile
/// does not list keeps `CulpritThresholds.defaults`.
package struct CulpritSettings: Sendable, Equatable {
    /// Per source: the slope per cycle the lower bound must exceed and the growth over the steady
    /// window; types are counts, stacks and classes bytes.
    package var thresholds: [CulpritSource: Threshold] = CulpritThresholds.defaults
    /// Findings kept per source in summary.json and the reports, growing ones first.
    package var top = 10

    package init(thresholds: [CulpritSource: Threshold] = CulpritThresholds.defaults, top: Int = 10) {
        self.thresholds = thresholds
        self.top = top
    }

    /// The unit a source's amounts are in.
    package static func unit(of source: CulpritSource) -> MetricUnit {
        source == .types ? .count : .bytes
    }
}
