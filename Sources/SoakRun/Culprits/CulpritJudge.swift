import SoakAnalysis
import SoakProfiles

/// Names the culprits of a run folder: reads `culprits.jsonl` (and the stacks' frames), judges
/// each series on the metrics' steady window and says which grow.
package enum CulpritJudge {
    /// What `culprits.jsonl` holds, with each stack id's frames.
    package static func read(_ folder: RunFolder) -> CulpritLog.Contents {
        CulpritLog.contents(folder.culprits, frames: StackFrames.load(folder))
    }

    /// The findings, or nil when the run recorded no culprit readings at all. `settings` are the
    /// profile's thresholds per source and how many findings to keep.
    package static func judge(
        _ contents: CulpritLog.Contents, steadyStartSeconds: Double, intervalSeconds: Double, alpha: Double,
        settings: CulpritSettings = CulpritSettings()
    ) -> [CulpritFinding]? {
        guard !contents.series.isEmpty, intervalSeconds > 0 else { return nil }
        let options = CulpritAnalysis.Options(
            thresholds: settings.thresholds, cycleIntervalSeconds: intervalSeconds,
            steadyStartSeconds: steadyStartSeconds, alpha: alpha, keepPerSource: settings.top)
        return CulpritAnalysis.analyze(contents.series, options: options)
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
