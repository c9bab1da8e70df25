import Foundation
import Glibc
import SoakRun
import Testing

/// `soak run --clock stepped` against the built binaries: tenantd's virtual clock, a Python
/// target that adopts the protocol, and a command target that does not.
@Suite(.serialized) struct SteppedClockEndToEndTests {
    func runFolder(in parent: String) throws -> String {
        let entries = try FileManager.default.contentsOfDirectory(atPath: parent).filter { !$0.hasPrefix(".") }
        try #require(entries.count == 1, "one run folder, found \(entries)")
        return parent + "/" + entries[0]
    }

    @Test func aSteppedDayOfQuickHoldsEveryCycleAtItsSimulatedTime() throws {
        let out = BuiltBinaries.temporaryFolder("stepped")
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "quick", "--clock", "stepped", "--duration", "1d", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("integrity: 480/480"), "\(result.stdout)")
        #expect(result.stderr.contains("on the stepped clock"), "\(result.stderr)")
        let folder = try runFolder(in: out)
        let manifest = try RunManifest.read(from: folder + "/run.json")
        #expect(manifest.clock == "stepped")
        #expect(manifest.integrity.validCycles == 480)
        #expect(manifest.sweptLateCycles == 0, "a settled runtime leaves nothing for a request to expire")
        #expect(manifest.targetCommand.contains("--clock"))
        // The ratio the run achieved, whatever the machine's load: positive and finite.
        #expect(manifest.accelerate > 0 && manifest.accelerate.isFinite)
        let rows = try String(contentsOfFile: folder + "/samples.csv", encoding: .utf8).split(separator: "\n")
        let troughTimes = rows.filter { $0.contains(",trough,") }.compactMap { Double($0.split(separator: ",")[0]) }
        #expect(troughTimes.count == 480)
        #expect(troughTimes.allSatisfy { $0.truncatingRemainder(dividingBy: 180) == 0 }, "exactly at request times")
    }

    @Test func anInjectedLeakIsFoundOnTheSteppedClock() throws {
        let folder = BuiltBinaries.temporaryFolder("stepped-leak")
        let profile = folder + "/leak.json"
        let json = """
            {"description": "global-cache leak on the stepped clock", "clock": "stepped",
             "target": {"tenantd": {"kind": "service", "artifactIdle": "1m", "tenantIdle": "30d",
                                    "injectLeak": "global-cache", "leakBytes": 16384}},
             "scenario": {"kind": "service-ghost", "requests": ["/t/t1/a1.service"], "interval": "3m", "duration": "1d"},
             "sampling": {"every": "3m"}}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: profile))
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", profile, "--out", folder + "/runs"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verdict: LEAK"), "\(result.stdout)")
    }

    @Test func aCommandTargetWithoutTheProtocolIsRefusedBeforeItStarts() throws {
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "py-orders", "--clock", "stepped"], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains(#"clock: "stepped" needs target.command.clockURL"#), "\(result.stderr)")
    }

    @Test func aPythonServerThatAdoptsTheProtocolRunsStepped() throws {
        let out = BuiltBinaries.temporaryFolder("stepped-python")
        let result = try BuiltBinaries.run(
            BuiltBinaries.soak, ["run", "ci/targets/stepped-python.json", "--duration", "6h", "--out", out])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("integrity: 120/120"), "\(result.stdout)")
    }

    @Test func tenantdRefusesASteppedClockWithATimeScale() throws {
        let registry = BuiltBinaries.temporaryFolder("stepped-registry")
        let seeded = try BuiltBinaries.run(BuiltBinaries.tenantd, ["seed", "--tenants", "1", "--artifacts", "1", registry])
        #expect(seeded.status == 0)
        let mixed = try BuiltBinaries.run(
            BuiltBinaries.tenantd, ["--registry", registry, "--clock", "stepped", "--time-scale", "10"], timeout: 10)
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("--time-scale applies to the scaled clock"), "\(mixed.stderr)")
    }
}
