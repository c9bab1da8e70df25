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

    /// `+1`, `+256 B`, `-0.5`: a slope with its sign, in the unit's short form (no unit word for
    /// counts, as `DeployedArtifact +1/cycle` reads).
    package static func signedAmount(_ value: Double, _ unit: MetricUnit) -> String {
        let sign = value < 0 ? "-" : "+"
        let magnitude = abs(value)
        return sign + (unit == .bytes ? ByteSize.format(magnitude) : DecimalText.format(magnitude, significant: 3))
    }

    /// A plain number for `soak analyze`, whose column has no known unit.
    static func plain(_ value: Double) -> String {
        DecimalText.format(value, significant: 3)
    }
}
