import Foundation
@testable import SoakAnalysis
@testable import SoakReports
@testable import SoakRun
import Testing

/// The "Where" part of every report, and `soak diff` on culprits.
@Suite struct CulpritReportTests {
    /// A leaking synthetic run whose culprits.jsonl has one growing type, judged from its folder.
    func judgement(culprits: Bool = true, growing: Bool = true) throws -> RunJudge.Judgement {
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + Double($0) * 4096 }
        let folder = try RunFolderFixture.make(status: .completed, run: run)
        if culprits {
            let lines = (0..<run.cycles).map { cycle in
                CulpritReading(source: .types, unit: .instances,
                               values: ["DeployedArtifact": growing ? Double(cycle) : 1, "Tenant": 1])
                    .jsonLine(kind: .trough, cycle: Double(cycle), simSeconds: Double(cycle) * run.intervalSeconds)
            }.joined()
            try Data(lines.utf8).write(to: URL(fileURLWithPath: folder.culprits))
        }
        return try RunJudge.judge(folder)
    }

    @Test func theVerdictLineNamesTheGrowingTypeAfterTheLeakingMetric() throws {
        let summary = try judgement().summary
        #expect(summary.verdict == .leak)
        #expect(summary.verdictReason.hasSuffix("; growing: DeployedArtifact +1/cycle"), "\(summary.verdictReason)")
        #expect(summary.culprits?.first { $0.name == "Tenant" }?.growing == false)
    }

    @Test func everyReportSaysWhere() throws {
        let judgement = try judgement()
        let markdown = MarkdownSummary.render(judgement.summary)
        #expect(markdown.contains("#### Where") && markdown.contains("| DeployedArtifact | type | +1 (+1 … +1)"))
        let html = HTMLReport.render(judgement)
        #expect(html.contains("<h2>Where</h2>") && html.contains("class=\"spark\""))
        let junit = JUnitReport.render(judgement.summary)
        #expect(junit.contains("growing: type DeployedArtifact grows +1/cycle (95% CI +1 … +1)"))
        #expect(WhereText.lines(judgement.summary) == ["type DeployedArtifact grows +1/cycle (95% CI +1 … +1)"])
    }

    @Test func aRunWithFlatCulpritsSaysNoneGrowsAndOneWithoutCulpritsSaysNothing() throws {
        let flat = try judgement(growing: false)
        #expect(!flat.summary.verdictReason.contains("growing"))
        #expect(MarkdownSummary.render(flat.summary).contains("**where** no type, stack or class grows"))
        let none = try judgement(culprits: false)
        #expect(none.summary.culprits == nil)
        #expect(!MarkdownSummary.render(none.summary).contains("where"))
        #expect(!HTMLReport.render(none).contains("<h2>Where</h2>"))
    }

    @Test func diffWarnsOfANewGrowingCulpritWithoutFailing() throws {
        let base = try judgement(growing: false).summary
        let candidate = try judgement().summary
        let comparison = RunComparison(base: base, candidate: candidate)
        let row = comparison.rows.first { $0.label == "type DeployedArtifact" }
        #expect(row?.status == .warning && row?.change == "new", "\(comparison.rows.map(\.label))")
        #expect(!comparison.rows.contains { $0.label.hasPrefix("type ") && $0.status == .regression })
        #expect(RunComparison(base: candidate, candidate: candidate).rows.allSatisfy { !$0.label.hasPrefix("type ") })
    }
}
