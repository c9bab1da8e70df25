import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct RecordingTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "soak-recording-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func missingValuesAreEmptyFieldsNeverZero() {
        var row = SampleRow()
        row.kind = .trough
        row[.simSeconds] = 180.5
        row.set(.rssBytes, 4096)
        let fields = row.csvLine.dropLast().split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields.count == SampleColumn.allCases.count)
        #expect(fields[0] == "180.5")
        #expect(fields[2] == "trough")
        #expect(fields[4] == "4096")
        #expect(fields[5] == "", "rss_anon was not read")
    }

    @Test func everyRecordIsOnDiskAsSoonAsItIsRecorded() throws {
        let folder = RunFolder(path: try temporaryFolder())
        let recorder = try RunRecorder(folder: folder)
        var row = SampleRow()
        row.set(.rssBytes, 123)
        recorder.record(sample: row)
        recorder.record(request: RequestRecord(
            cycle: 2, simSeconds: 360, wallSeconds: 0.05, path: "/t/\"q\"/a",
            outcome: RequestOutcome(status: 200, latencyMilliseconds: 1.5, artifactWas: "ghost"), succeeded: true,
            violation: nil))
        // Read back through the file system while the recorder is still open: nothing is buffered.
        let samples = try String(contentsOfFile: folder.samples, encoding: .utf8).split(separator: "\n")
        #expect(samples.count == 2)
        #expect(samples[0] == SampleColumn.header)
        let event = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.events))) as! [String: Any]
        #expect(event["path"] as? String == "/t/\"q\"/a")
        #expect(event["artifact_was"] as? String == "ghost")
        #expect(event["ok"] as? Bool == true)
    }

    @Test func runFoldersAreNeverShared() throws {
        let parent = try temporaryFolder()
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let first = try RunFolder.create(under: parent, profile: "quick", at: date)
        let second = try RunFolder.create(under: parent, profile: "quick", at: date)
        #expect(first.path != second.path)
        #expect(first.path.hasSuffix("quick-20261118T110640Z"))
    }

    @Test func manifestRoundTrips() throws {
        let folder = try temporaryFolder()
        var manifest = RunManifest(
            profile: "quick", profileDescription: "d", commandLine: ["run"], soakVersion: "0", kernel: "Linux",
            harnessPID: 1, accelerate: 7200, scenarioKind: "service-ghost", intervalSeconds: 180,
            durationSeconds: 3600, plannedCycles: 20, startedAt: Date(timeIntervalSince1970: 0))
        manifest.status = .crashed
        manifest.targetExit = .signaled(signal: 9)
        try manifest.write(to: folder + "/run.json")
        let read = try RunManifest.read(from: folder + "/run.json")
        #expect(read.status == .crashed)
        #expect(read.targetExit == .signaled(signal: 9))
        #expect(read.targetExit?.description == "killed by signal 9 (SIGKILL)")
    }
}
