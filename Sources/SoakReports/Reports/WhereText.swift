/// The "Where" part of every report: the culprits that grow (types, stacks, classes), worded the
/// same in summary.md, report.html, junit.xml and the GitHub annotation.
import SoakAnalysis
import SoakRun

package enum WhereText {
    /// Growing culprits, at most `limit` per source, steepest first.
    static func growing(_ summary: RunSummary, limit: Int = 5) -> [CulpritFinding] {
        let growing = CulpritAnalysis.growing(summary.culprits ?? [])
        return CulpritSource.allCases.flatMap { source in growing.filter { $0.source == source }.prefix(limit) }
    }

    /// `types`, `allocation stack`, `class`: what a source's culprit is called.
    static func kind(_ source: CulpritSource) -> String {
        switch source {
        case .types: "type"
        case .stacks: "allocation stack"
        case .classes: "class"
        }
    }

    /// `+1.02 (0.98 … 1.05)`: the slope per cycle with its interval, in the culprit's unit.
    static func slope(_ finding: CulpritFinding) -> String {
        guard let slope = finding.slopePerCycle else { return "–" }
        let low = finding.lowSlopePerCycle.map { AnalysisText.signedAmount($0, finding.unit) } ?? "?"
        let high = finding.highSlopePerCycle.map { AnalysisText.signedAmount($0, finding.unit) } ?? "?"
        return "\(AnalysisText.signedAmount(slope, finding.unit)) (\(low) … \(high))"
    }

    /// `+1/cycle (95% CI +0.98 … +1.05)`: the same, as words in a sentence.
    static func rate(_ finding: CulpritFinding) -> String {
        guard let slope = finding.slopePerCycle else { return "–" }
        let low = finding.lowSlopePerCycle.map { AnalysisText.signedAmount($0, finding.unit) } ?? "?"
        let high = finding.highSlopePerCycle.map { AnalysisText.signedAmount($0, finding.unit) } ?? "?"
        return "\(AnalysisText.signedAmount(slope, finding.unit))/cycle (95% CI \(low) … \(high))"
    }

    /// The growth over the steady window and the last value, in the unit.
    static func growth(_ finding: CulpritFinding) -> String {
        finding.growth.map { AnalysisText.amount($0, finding.unit) } ?? "–"
    }

    static func last(_ finding: CulpritFinding) -> String {
        finding.last.map { AnalysisText.amount($0, finding.unit) } ?? "–"
    }

    /// A stack's first frames, innermost first, joined for one line.
    static func frames(_ finding: CulpritFinding, count: Int = 6) -> String {
        finding.frames.prefix(count).joined(separator: " ← ")
    }

    /// One line per growing culprit, for a JUnit message or an annotation.
    package static func lines(_ summary: RunSummary) -> [String] {
        growing(summary).map { finding in
            var line = "\(kind(finding.source)) \(finding.displayName) grows \(rate(finding))"
            if finding.source == .stacks, !finding.frames.isEmpty { line += " at " + frames(finding) }
            return line
        }
    }

    /// Said when the run recorded culprits and none grows.
    static let noneGrows = "no type, stack or class grows"
}
