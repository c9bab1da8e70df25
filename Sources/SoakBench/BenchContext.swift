import FoundationEssentials
import Glibc
import SoakProfiles
import SoakRun

/// What the suites share: the bench folder, a scratch folder, the binaries, repeats and logging.
final class BenchContext {
    /// The bench's run folder, `reports/bench-<UTC>/`.
    let folder: String
    /// Scratch space for registries, profiles and nested runs; removed at the end.
    let work: String
    let repeats: Int
    let quick: Bool
    /// Rows of the analysis suite's synthetic runs, when the (hidden) `--analysis-sizes` chose them.
    let analysisSizes: [Int]?
    /// The parts of the runtime suite to run (`--runtime-parts`; all by default).
    let runtimeParts: [RuntimeBenchPart]
    /// This `soak` binary, spawned for nested runs and child measurements.
    let soakPath: String
    let tenantdPath: String
    /// The package checkout (Profiles/, ci/), when found.
    let packageRoot: String?
    let log: (String) -> Void

    init(folder: String, repeats: Int, quick: Bool, analysisSizes: [Int]?,
         runtimeParts: [RuntimeBenchPart] = RuntimeBenchPart.allCases, log: @escaping (String) -> Void) throws {
        self.folder = folder
        work = "\(folder)/work"
        self.repeats = repeats
        self.quick = quick
        self.analysisSizes = analysisSizes
        self.runtimeParts = runtimeParts
        self.log = log
        soakPath = ProfileCatalog.currentExecutablePath() ?? CommandLine.arguments[0]
        tenantdPath = TenantdLocator.locate()
        // Profiles/ sits at the package root (its path is absolute).
        packageRoot = ProfileCatalog.locate().directory.map {
            "/" + $0.split(separator: "/").dropLast().joined(separator: "/")
        }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    /// A fresh sub-folder of the scratch space.
    func scratch(_ name: String) throws -> String {
        let path = "\(work)/\(name)"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A shipped profile as parsed JSON, for the suites to derive their own variants from.
    func profileJSON(_ name: String) throws -> ProfileJSON {
        guard let directory = ProfileCatalog.locate().directory else {
            throw BenchError("bench: cannot find the shipped Profiles/ folder (set LAZYSOAK_PROFILES)")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name).json"))
        return try ProfileJSON.parse([UInt8](data))
    }

    /// Writes a derived profile as `work/profiles/NAME.json` and returns its path; the run folder
    /// of a run of it is named after NAME.
    func writeProfile(_ profile: ProfileJSON, name: String) throws -> String {
        let folder = "\(work)/profiles"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(name).json"
        try Data((profile.text() + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `soak run PROFILE` as a separate process; returns how it ended and its run folder. A nil
    /// `accelerate` runs on the stepped clock.
    func soakRun(profile: String, accelerate: Double?, duration: String? = nil, out: String,
                 timeout: Duration = .seconds(900)) throws -> (BenchProcess.Completion, RunFolder?) {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clock = accelerate.map { ["--clock", "scaled", "--accelerate", SampleRow.format($0)] } ?? ["--clock", "stepped"]
        var arguments = ["run", profile] + clock + ["--out", out]
        if let duration { arguments += ["--duration", duration] }
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
        let completion = try BenchProcess.run(soakPath, arguments, logs: "\(out)/soak-run", timeout: timeout)
        let after = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        let created = after.filter { !before.contains($0) && !$0.hasPrefix("soak-run") }.sorted().last
        return (completion, created.map { RunFolder(path: "\(out)/\($0)") })
    }

    /// `tenantd seed` into `folder`.
    func seed(tenants: Int, artifacts: Int, payloadKB: Int, into folder: String) throws {
        let completion = try BenchProcess.run(
            tenantdPath, ["seed", "--tenants", "\(tenants)", "--artifacts", "\(artifacts)", "--kind", "service",
                          "--payload-kb", "\(payloadKB)", folder],
            logs: "\(folder).seed", timeout: .seconds(600))
        guard completion.status == 0 else {
            let exit = completion.exit?.description ?? "timed out"
            throw BenchError("bench: tenantd seed into \(folder) failed (\(exit))")
        }
    }

    /// Starts `tenantd` on `registry` and waits for its "listening on" line; returns the process,
    /// its port and the wall seconds from spawn to that line.
    func startTenantd(
        registry: String, _ arguments: [String], logs: String
    ) throws -> (TargetProcess, UInt16, Double) {
        let started = BenchProcess.monotonicSeconds()
        let process = try BenchProcess.start(tenantdPath, ["--registry", registry] + arguments, logs: logs)
        guard let line = process.waitForLine(containing: "listening on ", timeout: .seconds(300)),
              let port = line.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            _ = process.terminate(grace: .seconds(2))
            throw BenchError("bench: tenantd on \(registry) did not start (see \(logs).stderr)")
        }
        return (process, port, BenchProcess.monotonicSeconds() - started)
    }

}
