import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakRun
@testable import SoakUnits

/// Hostile profiles, in process: every shipped profile mutated a few thousand ways (types,
/// numeric extremes, deletions, unicode, truncation, repeated and unknown keys) with a fixed
/// seed. Each mutation must be refused with `ProfileError` lines a person can read, or load as a
/// profile that passes its own validation and turns into a launch plan. A trap ends the test
/// process, so "never a trap" is checked by getting to the end.
///
/// To find the mutation behind a crash, run with `LAZYSOAK_FUZZ_TRACE=1`: each case is printed
/// before it is tried.
@Suite struct ProfileFuzzTests {
    static let seed: UInt64 = 0x50AC_F022_2026_0017
    static let mutations = 3000

    @Test func mutatedShippedProfilesAreRefusedOrValidNeverATrap() throws {
        let documents = try FuzzDocuments.load()
        #expect(documents.count >= 5, "the shipped profiles and the README's command target")
        var random = SplitMix64(seed: Self.seed)
        var outcome = FuzzOutcome()
        for round in 0..<Self.mutations {
            let document = documents[Int(random.next() % UInt64(documents.count))]
            let (bytes, label) = FuzzMutator.mutate(document, using: &random)
            outcome.check(bytes, label: "#\(round) \(document.name): \(label)", random: &random)
        }
        // Both sides must be exercised, or the mutations are too weak (or too destructive).
        #expect(outcome.loaded > Self.mutations / 20, "loaded \(outcome.loaded) of \(Self.mutations)")
        #expect(outcome.refused > Self.mutations / 2, "refused \(outcome.refused) of \(Self.mutations)")
    }

    /// The quadratic case of the audit: many unknown or repeated fields cost linear time and give
    /// a handful of lines.
    @Test(arguments: [("", 20_000), ("target.tenantd", 5_000), ("limits", 5_000)])
    func hugeNumbersOfUnknownFieldsGiveAFewLines(objectPath: String, count: Int) throws {
        var document = try #require(try FuzzDocuments.load().first { $0.name == "quick" }).root
        let extra = (0..<count).map { ProfileJSON.Member(key: "stray\($0)", value: .fuzz(.number("\($0)"))) }
        FuzzTree.modify(&document, at: FuzzTree.objectSteps(objectPath, in: document)) { object in
            guard case .object(let members) = object.kind, let first = members.first else { return }
            // Each known field once more, ten times over: repeated fields are capped the same way.
            let repeats = Array(repeating: first, count: 10)
            object = .fuzz(.object(members + extra + repeats))
        }
        let started = ContinuousClock.now
        let issues = FuzzOutcome.issues(Array(FuzzTree.text(document).utf8))
        #expect(ContinuousClock.now - started < .seconds(5))
        // Three unknown fields, a count of the rest, three repeated ones and their count.
        #expect(issues.count == 8, "\(issues)")
        #expect(issues.contains { $0.contains("\(count - 3) more unknown fields not shown (\(count) in all)") })
        #expect(issues.contains { $0.contains("7 more fields given twice not shown (10 in all)") })
    }

    @Test func aFileOfManyProblemsShowsTheFirstFortyAndCountsTheRest() {
        var draft = ProfileDraft.serviceGhost
        draft.set("scenario.requests", json: "[" + (0..<5_000).map { _ in "1" }.joined(separator: ",") + "]")
        let errors = ProfileTesting.errors(draft.json)
        #expect(errors.count == ProfileIssues.shownLimit + 1)
        #expect(errors.last == "Profiles/t.json: 4960 more problems not shown (5000 in all); fix these and load the file again")
    }
}

/// A shipped profile, parsed.
struct FuzzDocument {
    var name: String
    var root: ProfileJSON
}

enum FuzzDocuments {
    /// Every profile in `Profiles/`, plus the README's command target (no shipped profile has
    /// one, and its launch plan substitutes `{port}` and `{run}`).
    static func load() throws -> [FuzzDocument] {
        let directory = ProfileTesting.shippedDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        var documents = try names.map { name in
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            var parser = ProfileJSONParser(bytes: bytes)
            return FuzzDocument(name: String(name.dropLast(5)), root: try parser.parseDocument())
        }
        var parser = ProfileJSONParser(bytes: Array(commandTarget.utf8))
        documents.append(FuzzDocument(name: "command", root: try parser.parseDocument()))
        return documents
    }

    static let commandTarget = """
        {
          "description": "A generic server on a port, asked for its health each cycle.",
          "accelerate": 60,
          "target": { "command": {
            "argv": ["./my-server", "--port", "{port}", "--data", "{run}/data"],
            "workingDirectory": "{run}", "environment": { "LOG_LEVEL": "warn" },
            "ready": { "httpURL": "http://127.0.0.1:{port}/health" }, "readyTimeout": "30s",
            "baseURL": "http://127.0.0.1:{port}", "timeScaleFlag": "--time-scale",
            "statsURL": "http://127.0.0.1:{port}/_runtime/stats" } },
          "scenario": { "kind": "plain", "requests": ["/health", "/t/t1/a1.service?x=1"], "interval": "1m",
            "duration": "6h", "warmup": "30m", "requestTimeout": "5s" },
          "sampling": { "every": "30s", "minimumWallPeriod": "20ms", "troughs": false },
          "thresholds": { "rss": { "perHour": "1MiB", "floor": "4MiB" }, "fds": { "perCycle": 0.01, "floor": 5 } },
          "alpha": 0.01,
          "tolerances": { "rss": "5%", "fds": 2 },
          "limits": { "memory": "512MiB", "teardownGrace": "2s", "maxAccelerate": 1000 }
        }
        """
}

/// One mutation's fate, tallied.
struct FuzzOutcome {
    var loaded = 0
    var refused = 0
    static let file = "fuzz/profile.json"
    private static let trace = ProcessInfo.processInfo.environment["LAZYSOAK_FUZZ_TRACE"] == "1"

    mutating func check(_ bytes: [UInt8], label: String, random: inout SplitMix64) {
        if Self.trace { print("fuzz \(label)") }
        let profile: Profile
        do {
            profile = try ProfileLoader.load(json: bytes, name: "fuzz", file: Self.file)
        } catch {
            refused += 1
            Self.expectReadable(error, label: label)
            return
        }
        loaded += 1
        #expect(throws: Never.self, "\(label): a loaded profile passes its own rules") {
            try profile.validate(file: Self.file)
        }
        Self.plan(profile, accelerate: profile.accelerate, label: label)
        // The command line's overrides go through the same rules, then into the same plan.
        let accelerate = [nil, 1e-7, 0.5, 1, 7200, 1e6, 2e6, 1e300][Int(random.next() % 8)]
        let duration = [nil, Duration.nanoseconds(1), .seconds(1), .seconds(86_400), .seconds(400 * 86_400)][
            Int(random.next() % 5)]
        do {
            try RunCommand.checkOverrides(of: profile, file: Self.file, accelerate: accelerate, duration: duration)
        } catch {
            #expect(error.exitCode == .usage, "\(label)")
            #expect(error.description.hasPrefix("run: --") || error.description.hasPrefix(Self.file), "\(label)")
            return
        }
        var options = SoakRunOptions(profile: profile, profileFile: Self.file, tenantdPath: "/bin/false")
        options.accelerate = accelerate
        options.duration = duration
        var changed = profile
        changed.scenario = options.effectiveScenario
        Self.plan(changed, accelerate: options.effectiveAccelerate, label: label + " with overrides")
    }

    /// Where the audit's traps were: the launch plan, the cycle count and the first and last
    /// cycles' requests.
    static func plan(_ profile: Profile, accelerate: Double, label: String) {
        let cycles = profile.scenario.cycles
        #expect(ProfileLimits.cycles.refusal(of: cycles) == nil, "\(label): \(cycles) cycles")
        let scenario = ScenarioPlan(scenario: profile.scenario)
        for cycle in [0, max(0, cycles - 1)] {
            #expect(scenario.paths(forCycle: cycle).count <= ProfileLimits.requestsPerCycle.range.upperBound)
        }
        let plan: TargetLaunchPlan
        do {
            plan = try TargetLaunchPlan.make(
                for: profile.target, folder: RunFolder(path: "/nonexistent/fuzz-run"), accelerate: accelerate,
                tenantdPath: "/bin/false")
        } catch {
            Issue.record("\(label): no launch plan: \(error)")
            return
        }
        let arguments = plan.launch.arguments
        // Only tenantd's own flag: a command target's argv may say anything, a mutated one included.
        if case .tenantd = profile.target, let flag = arguments.firstIndex(where: { $0 == "--time-scale" }),
            flag + 1 < arguments.count
        {
            // What tenantd reads back must be the scale the harness replays at, never 0.
            #expect(Double(arguments[flag + 1]) == accelerate, "\(label): \(arguments[flag + 1])")
        }
        if case .tenantd = profile.target {
            for flag in ["--tenant-idle", "--artifact-idle", "--sweep-every"] {
                guard let index = arguments.firstIndex(of: flag) else { continue }
                let duration = DurationText.parse(arguments[index + 1])
                #expect(duration.map { $0 >= .milliseconds(1) } == true, "\(label): \(flag) \(arguments[index + 1])")
            }
            let seed = plan.seed?.arguments ?? []
            let counts = ["--tenants", "--artifacts", "--payload-kb"].compactMap { flag in
                seed.firstIndex(of: flag).flatMap { Int(seed[$0 + 1]) }
            }
            #expect(counts.count == 3 && counts[0] * counts[1] <= 10_000, "\(label): seed \(seed)")
        }
    }

    /// A refusal is lines naming the file, each short enough to read, never more than the cap.
    static func expectReadable(_ error: ProfileError, label: String) {
        #expect(!error.issues.isEmpty)
        #expect(error.issues.count <= ProfileIssues.shownLimit + 1, "\(label): \(error.issues.count) lines")
        for issue in error.issues {
            let line = issue.description
            #expect(line.hasPrefix(file + ": "), "\(label): \(line)")
            #expect(!issue.message.isEmpty, "\(label)")
            #expect(line.unicodeScalars.count < 1_500, "\(label): a line of \(line.unicodeScalars.count) characters")
            #expect(!line.contains("Error("), "\(label): \(line)")
        }
    }

    /// The refusal lines for `bytes`, empty when they load.
    static func issues(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try ProfileLoader.load(json: bytes, name: "fuzz", file: file)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }
}
