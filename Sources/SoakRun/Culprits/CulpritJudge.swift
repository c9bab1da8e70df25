import SoakAnalysis
import SoakProfiles

/// Names the culprits of a run folder: reads `culprits.jsonl` (and the stacks' frames), judges
/// each series on the metrics' steady window and says which grow.
package enum CulpritJudge {
    /// The findings, or nil when the run recorded no culprit readings at all.
    package static func judge(
        _ folder: RunFolder, steadyStartSeconds: Double, intervalSeconds: Double, alpha: Double
    ) -> [CulpritFinding]? {
        let frames = StackFrames.load(folder)
        let series = CulpritLog.read(folder.culprits, frames: frames)
        guard !series.isEmpty, intervalSeconds > 0 else { return nil }
        let options = CulpritAnalysis.Options(
            thresholds: CulpritThresholds.defaults, cycleIntervalSeconds: intervalSeconds,
            steadyStartSeconds: steadyStartSeconds, alpha: alpha)
        return CulpritAnalysis.analyze(series, options: options)
    }

    /// `growing: DeployedArtifact +1/cycle, PayloadBuffer +64/cycle`, the three steepest growing
    /// culprits of each source; nil when none grows.
    package static func reasonText(_ findings: [CulpritFinding]?) -> String? {
        let growing = CulpritAnalysis.growing(findings ?? [])
        guard !growing.isEmpty else { return nil }
        var named: [String] = []
        for source in CulpritSource.allCases {
            named += growing.filter { $0.source == source }.prefix(3).map(\.shortText)
        }
        return "growing: " + named.joined(separator: ", ")
    }
}
