import Foundation
import Glibc
import SoakRun
import Testing

/// The audit's cases against the built `soak`: each ends with exit 2 and one sentence, or (for a
/// run folder that cannot be written) exit 3 with the target stopped; never a trap or a signal.
@Suite struct HostileInputEndToEndTests {
    /// A plain scenario on tenantd with one change to the target, written to a fresh folder.
    func profile(_ change: String) throws -> String {
        let folder = BuiltBinaries.temporaryFolder("hostile")
        let json = """
            {"description": "hostile", "accelerate": 3600,
             "target": {"tenantd": {"kind": "service"\(change)}},
             "scenario": {"kind": "plain", "requests": ["/t/t1/a1.service"], "interval": "3m", "duration": "6h"}}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: folder + "/hostile.json"))
        return folder + "/hostile.json"
    }

    @Test(arguments: [
        (#", "leakBytes": 1e30"#, "target.tenantd.leakBytes: at most 1 GiB, found 1e30"),
        (#", "leakBytes": "8388608TiB""#, "target.tenantd.leakBytes: at most 1 GiB, found 8388608TiB"),
        (#", "tenants": 100000"#, "target.tenantd.tenants: at most 10000, found 100000"),
        (#", "artifactsPerTenant": 9223372036854775807"#,
            "target.tenantd.artifactsPerTenant: at most 1000, found 9223372036854775807"),
        (#", "artifactIdle": "1µs""#, "target.tenantd.artifactIdle: at least 1ms, found 1µs"),
    ])
    func absurdNumbersAreRefusedUpFront(change: String, message: String) throws {
        let path = try profile(change)
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", path], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr == "soak: \(path): \(message)\n")
    }

    @Test func unwritableOutFoldersAreOneSentence() throws {
        let result = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--out", "/dev/null"], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr == "soak: run: --out /dev/null: not a directory\n")
        let empty = try BuiltBinaries.run(BuiltBinaries.soak, ["run", "quick", "--out", ""], timeout: 30)
        #expect(empty.status == 2)
        #expect(empty.stderr == "soak: run: --out '': an empty path; expected a folder like reports\n")
    }

    /// Under `ulimit -f` the kernel used to kill the harness with SIGXFSZ (exit 153, no word).
    @Test func aFileSizeLimitStopsTheRunWithExit3AndASentence() throws {
        let out = BuiltBinaries.temporaryFolder("filesize")
        let result = try BuiltBinaries.run("/bin/sh", [
            "-c", #"ulimit -f 16 && exec "$0" "$@""#, BuiltBinaries.soak,
            "run", "quick", "--accelerate", "3600", "--duration", "12h", "--out", out,
        ])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the run folder cannot be written (samples.csv: File too large); "
            + "what was written before is kept"), "\(result.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }
        let folder = try #require(folders.first)
        let manifest = try RunManifest.read(from: "\(out)/\(folder)/run.json")
        #expect(manifest.status == .interrupted)
        #expect(manifest.teardown != nil, "the target was stopped")
        if let pid = manifest.targetPID { #expect(kill(pid, 0) != 0, "no target left running") }
    }
}
