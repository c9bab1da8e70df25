/// `soak diff` rows for culprits: a type, stack or class that grows in the candidate and not in
/// the base (new), or grows faster (the intervals do not overlap). Culprits only warn, as in a
/// run's own verdict, so these rows never fail a diff: the metric rows decide.
import SoakAnalysis
import SoakRun

enum DiffCulpritRows {
    static func rows(base: RunSummary, candidate: RunSummary) -> [DiffRow] {
        guard let candidateFindings = candidate.culprits else { return [] }
        let baseFindings = Dictionary((base.culprits ?? []).map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [DiffRow] = []
        for finding in CulpritAnalysis.growing(candidateFindings) {
            let label = "\(WhereText.kind(finding.source)) \(finding.displayName)"
            let before = baseFindings[key(finding)]
            let baseText = before.map(WhereText.slope) ?? "–"
            if before?.growing != true {
                let detail = "\(label) grows in the candidate, \(WhereText.rate(finding))"
                    + (base.culprits == nil ? "; the base recorded no culprits" : ", not in the base")
                rows.append(DiffRow(
                    label: label, metric: nil, base: baseText, candidate: WhereText.slope(finding), change: "new",
                    tolerance: "culprits warn only", status: .warning, detail: detail))
            } else if let before, let low = finding.lowSlopePerCycle, let high = before.highSlopePerCycle, low > high {
                rows.append(DiffRow(
                    label: label, metric: nil, base: baseText, candidate: WhereText.slope(finding),
                    change: "faster", tolerance: "culprits warn only", status: .warning,
                    detail: "\(label) grows faster: \(WhereText.rate(before)) → \(WhereText.rate(finding))"))
            }
        }
        return rows
    }

    /// Stacks are matched by their symbolized frames: their ids hash addresses, which move with
    /// every start of the target (address-space layout randomisation).
    private static func key(_ finding: CulpritFinding) -> String {
        let name = finding.source == .stacks && !finding.frames.isEmpty ? finding.frames.joined(separator: "\n")
            : finding.name
        return finding.source.rawValue + ":" + name
    }
}
