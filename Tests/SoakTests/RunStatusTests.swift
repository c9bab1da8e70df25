import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// `status.json` and the interim verdict: what a running soak says about itself.
@Suite struct RunStatusTests {
    static func manifest(cycles: Int = 200, interval: Double = 180) -> RunManifest {
        RunManifest(
            profile: "quick", profileDescription: "test", commandLine: ["run", "quick"], soakVersion: "test",
            kernel: "test", harnessPID: getpid(), accelerate: 7200, scenarioKind: "service-ghost",
            intervalSeconds: interval, durationSeconds: Double(cycles) * interval, plannedCycles: cycles,
            startedAt: Date())
    }

    /// A trough of `cycle` with the heap at `heap` and flat everything else.
    static func trough(_ cycle: Int, heap: Double, interval: Double = 180) -> SampleRow {
        var row = SampleRow()
        row.kind = .trough
        row[.cycle] = Double(cycle)
        row[.simSeconds] = Double(cycle) * interval
        row[.wallSeconds] = Double(cycle) * interval / 7200
        row[.heapInUseBytes] = heap
        row[.rssBytes] = 20 * 1_048_576
        row[.fds] = 8
        row[.threads] = 5
        return row
    }

    static func progress(
        cycle: Int, of cycles: Int = 200, interval: Double = 180, valid: Int? = nil
    ) -> DriverProgress {
        var integrity = Integrity()
        integrity.cycles = cycle
        integrity.validCycles = valid ?? cycle
        return DriverProgress(
            cycle: cycle, cycles: cycles, simSeconds: Double(cycle) * interval,
            totalSimSeconds: Double(cycles) * interval, wallSeconds: Double(cycle) * interval / 7200,
            integrity: integrity, lastSample: nil)
    }

    static func quick() throws -> Profile {
        try ProfileLoader.load(file: ProfileTesting.shippedDirectory + "/quick.json")
    }

    @Test func liveStateCountsProgressRequestsAndTheLatestSample() {
        var state = LiveRunState(manifest: Self.manifest(), runFolder: "reports/quick-x", troughs: true)
        #expect(state.status.phase == .starting)
        #expect(state.status.progress.plannedCycles == 200)
        for cycle in 1...50 {
            state.record(sample: Self.trough(cycle, heap: 1_000_000))
            let ok = RequestOutcome(status: 200, latencyMilliseconds: 1, artifactWas: "ghost")
            state.record(request: RequestRecord(
                cycle: cycle, simSeconds: 0, wallSeconds: 0, path: "/t/t1/a1.service", outcome: ok,
                succeeded: true, violation: cycle == 7 ? "found actual" : nil))
            state.record(progress: Self.progress(cycle: cycle))
        }
        state.record(request: RequestRecord(
            cycle: 51, simSeconds: 0, wallSeconds: 0, path: "/t/t1/a1.service",
            outcome: RequestOutcome(status: nil, failure: "timed out", latencyMilliseconds: 5000), succeeded: false,
            violation: "timed out"))
        let status = state.status
        #expect(status.phase == .running)
        #expect(status.progress.cycle == 50)
        #expect(status.progress.percent == 25)
        // A quarter done in 1.25 wall seconds at a steady pace: 3.75 s to go.
        #expect(abs((status.progress.etaSeconds ?? 0) - 3.75) < 1e-9)
        #expect(status.latest?.heapInUseBytes == 1_000_000)
        #expect(status.latest?.fds == 8)
        #expect(status.requests == {
            var requests = RunStatus.Requests()
            requests.ok = 49
            requests.integrityViolations = 1
            requests.failed = 1
            return requests
        }())
        #expect(state.series.seen == 50)
    }

    @Test func seriesStaysBoundedAndEvenlySpreadOverTheWholeRun() {
        var series = InterimSeries(source: .troughs, capacity: 16)
        for cycle in 0..<1000 { series.append(Self.trough(cycle, heap: Double(cycle))) }
        #expect(series.seen == 1000)
        #expect(series.count <= 16)
        #expect(series.count >= 8)
        #expect(series.stride == 64)
        #expect(series.x.first == 0)
        let steps = zip(series.x, series.x.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { $0 == Double(series.stride) }, "\(series.x)")
        #expect(series.x.last! >= 1000 - Double(series.stride))
        #expect(series.peak(of: .heapInUse) == 999)
        // Periodic samples do not enter a trough series, but count towards the peak.
        var periodic = Self.trough(5, heap: 5000)
        periodic.kind = .periodic
        series.append(periodic)
        #expect(series.seen == 1000)
        #expect(series.peak(of: .heapInUse) == 5000)
    }

    @Test func interimVerdictFollowsTheFinalRules() throws {
        let options = AnalysisOptions(profile: try Self.quick())
        func verdict(cycles: Int, valid: Int? = nil, heap: (Int) -> Double) -> InterimVerdict? {
            var series = InterimSeries(source: .troughs)
            for cycle in 1...max(1, cycles) where cycles > 0 { series.append(Self.trough(cycle, heap: heap(cycle))) }
            var integrity = Integrity()
            integrity.cycles = cycles
            integrity.validCycles = valid ?? cycles
            if valid != nil { integrity.firstViolation = "cycle 3: found actual" }
            return InterimJudge.judge(series, options: options, manifest: Self.manifest(), integrity: integrity)
        }
        let flat = try #require(verdict(cycles: 120) { 1_000_000 + Double($0 % 3) * 8 })
        #expect(flat.verdict == .pass, "\(flat.reason)")
        #expect(flat.reason.hasPrefix("interim, run still going"))
        let leak = try #require(verdict(cycles: 120) { 1_000_000 + Double($0) * 4096 })
        #expect(leak.verdict == .leak)
        #expect(leak.reason.contains("heap_in_use leaks"))
        let heap = try #require(leak.metrics.first { $0.metric == .heapInUse })
        #expect(abs((heap.slopePerHour ?? 0) - 4096 * 20) < 1, "3m cycles: 20 per hour")
        #expect(verdict(cycles: 5) { _ in 1_000_000 }?.verdict == .inconclusive)
        #expect(verdict(cycles: 120, valid: 119) { _ in 1_000_000 }?.verdict == .invalid)
        #expect(verdict(cycles: 0) { _ in 0 } == nil)
    }

    @Test func monitorWritesStatusJsonFromStartToEnd() throws {
        let path = NSTemporaryDirectory() + "lazysoak-status-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let folder = RunFolder(path: path)
        let profile = try ProfileLoader.load(file: ProfileTesting.shippedDirectory + "/quick.json")
        let monitor = RunMonitor(
            folder: folder, options: SoakRunOptions(profile: profile, profileFile: "", tenantdPath: "tenantd"))
        #expect(monitor.snapshot() == nil)
        monitor.setMetricsAddress("127.0.0.1:9464")
        var manifest = Self.manifest()
        monitor.start(manifest)
        let first = try #require(RunStatus.read(from: folder.status))
        #expect(first.phase == .starting)
        #expect(first.harnessPID == getpid())
        #expect(first.metricsAddress == "127.0.0.1:9464")

        let sink = monitor.observing(NullSink())
        for cycle in 1...100 {
            sink.record(sample: Self.trough(cycle, heap: 1_000_000))
            sink.progress(Self.progress(cycle: cycle))
        }
        manifest.status = .interrupted
        manifest.cyclesCompleted = 100
        monitor.finish(manifest)
        let last = try #require(RunStatus.read(from: folder.status))
        #expect(last.phase == .ended)
        #expect(last.endStatus == .interrupted)
        #expect(last.progress.cycle == 100)
        #expect(last.progress.percent == 50)
        #expect(last.interim?.verdict == .pass, "\(last.interim?.reason ?? "no interim")")
        #expect(last.progress.etaSeconds == nil)

        // The file's keys are snake_case, like run.json and summary.json.
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.status)))
        let keys = Set((object as? [String: Any])?.keys.map { $0 } ?? [])
        #expect(keys.isSuperset(of: ["harness_pid", "run_folder", "updated_at", "progress", "interim", "end_status"]))
    }
}

/// Drops everything: stands in for the recorder where only the observer matters.
final class NullSink: RunSink {
    func record(sample: SampleRow) {}
    func record(request: RequestRecord) {}
    func progress(_ progress: DriverProgress) {}
}
