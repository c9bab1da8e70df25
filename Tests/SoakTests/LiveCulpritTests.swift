import Foundation
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// Culprits in `status.json`, `soak status` and `/metrics` while a run goes on.
@Suite struct LiveCulpritTests {
    /// A trough row of `cycle` whose types reading has one growing type and one flat.
    static func row(cycle: Int, extraNames: Int = 0) -> SampleRow {
        var row = SampleRow()
        row.kind = .trough
        row[.cycle] = Double(cycle)
        row[.simSeconds] = Double(cycle) * 180
        var values = ["DeployedArtifact": Double(cycle), "Tenant": 1]
        for index in 0..<extraNames { values["Noise\(index)"] = 0 }
        row.culprits = [CulpritReading(source: .types, unit: .instances, values: values)]
        return row
    }

    static let options = AnalysisOptions(
        cycleIntervalSeconds: 180, warmup: .fraction(0.1), thresholds: Threshold.defaults, alpha: 0.01)

    @Test func theGrowingTypeIsNamedSoFarAndOnTheMetricsPage() {
        var culprits = InterimCulprits()
        for cycle in 0..<400 { culprits.append(Self.row(cycle: cycle)) }
        // Thinned, never more than its capacity.
        #expect(culprits.series.allSatisfy { $0.points.count <= 64 })
        let found = InterimJudge.culprits(
            culprits, steadyStartSeconds: 0, options: Self.options, settings: CulpritSettings())
        #expect(found?.first?.name == "DeployedArtifact" && found?.first?.growing == true)
        #expect(found?.first { $0.name == "Tenant" }?.growing == false)

        var status = RunStatus(profile: "p", runFolder: "/r/p-1", harnessPID: 1, accelerate: 1, startedAt: Date())
        status.interim = InterimVerdict(
            verdict: .pass, reason: "r", simSeconds: 0, troughsSeen: 400, stride: 1, metrics: [], culprits: found)
        let page = RunMetricsPage.render(status)
        #expect(page.contains(#"soak_culprit_growing{profile="p",run="p-1",source="types",name="DeployedArtifact",unit="instances"} 1"#),
                "\(page)")
        #expect(page.contains(#"soak_culprit_value{profile="p",run="p-1",source="types",name="Tenant",unit="instances"} 1"#))
        // status.json carries them.
        let json = String(decoding: try! JSONEncoder().encode(status), as: UTF8.self)
        #expect(json.contains("\"culprits\"") && json.contains("DeployedArtifact"))
    }

    @Test func onlyAFewNamesAreFollowedAndTheLargestTakeThePlaceOfTheSmallest() {
        var culprits = InterimCulprits(namesPerSource: 4)
        for cycle in 0..<50 { culprits.append(Self.row(cycle: cycle, extraNames: 10)) }
        let names = Set(culprits.series.map(\.name))
        #expect(names.count == 4)
        #expect(names.contains("DeployedArtifact") && names.contains("Tenant"))
    }

    @Test func aRunWithoutCulpritsHasNone() {
        var culprits = InterimCulprits()
        var row = SampleRow()
        row[.simSeconds] = 1
        culprits.append(row)
        #expect(InterimJudge.culprits(
            culprits, steadyStartSeconds: 0, options: Self.options, settings: CulpritSettings()) == nil)
    }
}
