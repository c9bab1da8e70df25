import Foundation
import Testing
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakRun
@testable import SoakUnits

/// What `soak run` hands on or refuses: the clock scale on tenantd's command line, the overrides
/// of a profile, and output folders that cannot hold a run.
@Suite struct RunArgumentTests {
    @Test(arguments: [(7200.0, "7200"), (1.5, "1.5"), (1e-7, "0.0000001"), (1_000_000, "1000000"), (123.456789012, "123.456789012")])
    func theClockScaleReadsBackExactly(scale: Double, text: String) {
        #expect(TargetLaunchPlan.timeScaleText(scale) == text)
        #expect(Double(TargetLaunchPlan.timeScaleText(scale)) == scale)
    }

    @Test func commandLineOverridesMeetTheSameBounds() throws {
        let profile = try ProfileLoader.load(json: ProfileDraft.serviceGhost.json, name: "t", file: "t.json")
        func message(accelerate: Double? = nil, duration: Duration? = nil) -> String? {
            do {
                try RunCommand.checkOverrides(of: profile, file: "t.json", accelerate: accelerate, duration: duration)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message(accelerate: 1e-7) == "run: --accelerate: at least 1 (real time), found 0.0000001")
        #expect(message(accelerate: 2e6) == "run: --accelerate: at most 1000000, found 2000000")
        #expect(message(accelerate: 30_000) == "run: --accelerate 30000 is above the profile's limits.maxAccelerate (20000)")
        #expect(message(duration: .seconds(400 * 86_400))
            == "t.json with --duration 400d: scenario.duration: at most 366d, found 400d")
        #expect(message(accelerate: 3600, duration: .seconds(6 * 3600)) == nil)
    }

    @Test func outputFoldersThatCannotHoldRunsAreNamedInASentence() throws {
        let directory = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        func problem(_ path: String) -> String? {
            do {
                try RunFolder.prepareParent(path, probing: true)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem("") == "'': an empty path; expected a folder like reports")
        #expect(problem("/dev/null") == "/dev/null: not a directory")
        #expect(problem(file) == "\(file): not a directory")
        #expect(problem(file + "/sub") == "\(file)/sub: \(file) is not a directory")
        #expect(problem("/proc") == "/proc: cannot create a run folder in it: No such file or directory")
        #expect(problem(directory + "/new/deeper") == nil)
        #expect(FileManager.default.fileExists(atPath: directory + "/new/deeper"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/new/deeper").isEmpty)
    }
}
