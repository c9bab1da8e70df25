/// Numbers in verdict reasons, in the metric's unit: `812 B`, `3.1 MiB`, `0.05 instances`.
import SoakUnits

package enum AnalysisText {
    package static func amount(_ value: Double, _ unit: MetricUnit) -> String {
        switch unit {
        case .bytes: ByteSize.format(value)
        case .instances: DecimalText.format(value, significant: 3) + " instances"
        case .descriptors: DecimalText.format(value, significant: 3) + " fds"
        case .threads: DecimalText.format(value, significant: 3) + " threads"
        case .count: DecimalText.format(value, significant: 3)
        case .seconds: DecimalText.format(value, significant: 3) + " s"
        }
    }

    /// A plain number for `soak analyze`, whose column has no known unit.
    static func plain(_ value: Double) -> String {
        DecimalText.format(value, significant: 3)
    }
}
