import Foundation
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// What `soak diff` and `soak baseline` read and write: run folders, summary files, baseline
/// names, corrupt and foreign-schema summaries, and the rendered outputs.
@Suite struct DiffInputTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "lazysoak-diff-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func runFolderWithoutSummaryIsJudged() throws {
        let folder = try RunFolderFixture.make(status: .completed)
        let input = try DiffInput.load(folder.path, baselines: nil, force: false)
        #expect(input.summary.verdict == .pass)
        #expect(input.warnings.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.summaryJSON), "diff must not write into the folder")
    }

    @Test func baselineNameResolvesInTheStoreAndMissingOnesAreListed() throws {
        let store = BaselineStore(directory: try temporaryFolder() + "/baselines")
        let summary = try RunJudge.judge(RunFolderFixture.make(status: .completed)).summary
        let path = try store.save(summary, as: "synthetic-1")
        #expect(path == store.directory + "/synthetic-1.json")
        #expect(store.names() == ["synthetic-1"])
        let input = try DiffInput.load("synthetic-1", baselines: store, force: false)
        #expect(input.path == path)
        #expect(input.summary.profile == "synthetic")
        do {
            _ = try DiffInput.load("nonesuch", baselines: store, force: false)
            Issue.record("a missing baseline was accepted")
        } catch {
            #expect(error.description.contains("saved baselines: synthetic-1"), "\(error)")
        }
    }

    @Test func baselinesKeepAtMost200PointsPerMetric() throws {
        var run = AnalysisSyntheticRun()
        run.cycles = 600
        let summary = try RunJudge.judge(RunFolderFixture.make(status: .completed, run: run)).summary
        #expect(summary.analysis.metrics.contains { $0.points.count > 200 })
        let compact = BaselineStore.compact(summary)
        #expect(compact.analysis.metrics.allSatisfy { $0.points.count <= 200 })
        #expect(compact.analysis.metrics.map(\.plateau) == summary.analysis.metrics.map(\.plateau))
        #expect(compact.requests == summary.requests)
        #expect(!compact.runFolder.contains("/") && summary.runFolder.hasSuffix("/" + compact.runFolder))
    }

    @Test(arguments: ["", "..", ".", "a/b", "a b", String(repeating: "x", count: 65), "naïve"])
    func badBaselineNamesAreRefused(name: String) {
        #expect(!BaselineStore.isValidName(name))
    }

    @Test func goodBaselineNamesPass() {
        for name in ["service-lazy-loading", "v1.2_rc", String(repeating: "x", count: 64)] {
            #expect(BaselineStore.isValidName(name), "\(name)")
        }
    }

    @Test func corruptSummaryIsRefusedEvenWithForce() throws {
        let path = try temporaryFolder() + "/summary.json"
        try write("{\"schema\": 1, \"profile\": ", to: path)
        for force in [false, true] {
            do {
                _ = try DiffInput.load(path, baselines: nil, force: force)
                Issue.record("a corrupt summary was accepted")
            } catch {
                #expect(error.description.contains("not a soak summary"), "\(error)")
            }
        }
    }

    @Test func otherSchemaNeedsForceAndThenWarns() throws {
        let summary = try RunJudge.judge(RunFolderFixture.make(status: .completed)).summary
        let path = try temporaryFolder() + "/future.json"
        try summary.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let future = RunSummary.currentSchema + 1
        #expect(text.contains("\"schema\" : \(RunSummary.currentSchema)"))
        try write(text.replacingOccurrences(of: "\"schema\" : \(RunSummary.currentSchema)", with: "\"schema\" : \(future)"),
                  to: path)
        do {
            _ = try DiffInput.load(path, baselines: nil, force: false)
            Issue.record("a summary of another schema was accepted without --force")
        } catch {
            #expect(error.description.contains("schema \(future)"), "\(error)")
            #expect(error.description.contains("--force"), "\(error)")
        }
        let forced = try DiffInput.load(path, baselines: nil, force: true)
        #expect(forced.summary.profile == "synthetic")
        #expect(forced.warnings.count == 1)
        #expect(forced.warnings[0].contains("read anyway (--force)"))
    }

    @Test func aSchema1SummaryStillReadsWithoutCulprits() throws {
        let summary = try RunJudge.judge(RunFolderFixture.make(status: .completed)).summary
        let path = try temporaryFolder() + "/old.json"
        try summary.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try write(text.replacingOccurrences(of: "\"schema\" : 2", with: "\"schema\" : 1"), to: path)
        let old = try DiffInput.load(path, baselines: nil, force: false)
        #expect(old.warnings.isEmpty && old.summary.culprits == nil)
    }

    @Test func corruptSummaryInAFolderIsJudgedAfreshOnlyWithForce() throws {
        let folder = try RunFolderFixture.make(status: .completed)
        try write("not json", to: folder.summaryJSON)
        #expect(throws: DiffError.self) { try DiffInput.load(folder.path, baselines: nil, force: false) }
        let forced = try DiffInput.load(folder.path, baselines: nil, force: true)
        #expect(forced.summary.verdict == .pass)
        #expect(forced.warnings.first?.contains("judging the folder afresh") == true)
    }

    @Test func missingPathSaysWhatWasExpected() {
        do {
            let store = BaselineStore(directory: "/nonexistent")
            _ = try DiffInput.load("/nonexistent/run", baselines: store, force: true)
            Issue.record("a missing path was accepted")
        } catch {
            #expect(error.description.contains("no such file or folder"), "\(error)")
        }
    }

    @Test func storeIsFoundFromTheCurrentDirectoryOrTheExecutable() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/reports", withIntermediateDirectories: true)
        try write("", to: root + "/Package.swift")
        let local = BaselineStore.locate(environment: [:], currentDirectory: root, executablePath: nil)
        #expect(local.directory == root + "/reports/baselines")
        let fromBinary = BaselineStore.locate(
            environment: [:], currentDirectory: "/", executablePath: root + "/.build/debug/soak")
        #expect(fromBinary.directory == root + "/reports/baselines")
        let configured = BaselineStore.locate(
            environment: ["LAZYSOAK_BASELINES": "/x"], currentDirectory: root, executablePath: nil)
        #expect(configured.directory == "/x")
        let explicit = BaselineStore.locate(
            explicit: "b", environment: [:], currentDirectory: root, executablePath: nil)
        #expect(explicit.directory == root + "/b")
    }

    @Test func markdownAndHTMLAreSelfContained() throws {
        let base = try RunJudge.judge(RunFolderFixture.make(status: .completed)).summary
        var run = AnalysisSyntheticRun()
        run.heap = { 10 * 1_048_576 + Double($0) * 16 * 1024 }
        let candidate = try RunJudge.judge(RunFolderFixture.make(status: .completed, run: run)).summary
        let comparison = RunComparison(base: base, candidate: candidate)
        let markdown = DiffRendering.markdown(comparison, basePath: "a|b", candidatePath: "c")
        #expect(markdown.contains("| metric | base | candidate | change | tolerance | status |"))
        #expect(markdown.contains("**REGRESSION**"))
        #expect(markdown.contains("a\\|b"))
        let html = DiffHTML.render(comparison, basePath: "<a>", candidatePath: "c")
        #expect(html.contains("<svg"))
        #expect(html.contains("&lt;a&gt;"))
        #expect(html.components(separatedBy: "<polyline").count > 2)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http:") && !html.contains("https:"))
    }
}
