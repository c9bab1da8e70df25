import FoundationEssentials
import Glibc
import PosixSupport
import SoakProfiles
import SoakUnits

/// Runs one soak: prepares the run folder, starts and supervises the target, replays the
/// scenario while sampling, tears the target down and finalises `run.json`.
///
/// Whatever happens (the target crashing, SIGINT, a failed readiness check) the run folder is
/// left complete enough for `soak report` to analyse.
package final class SoakRunner {
    package let options: SoakRunOptions
    package let folder: RunFolder
    /// Sees the run as it goes: `status.json` and what `--metrics-listen` serves.
    package let monitor: RunMonitor
    /// Held until this process ends: no other harness can write the folder, and `soak stop` and
    /// `soak report` can tell a live run from a finished or killed one.
    private let lock: RunLock
    private let progress: RunProgress?
    let log: (String) -> Void
    /// Every wait of the run sleeps on it; a stop request wakes it (see `StopSignals`).
    let clock: any RunClock
    /// Why the run stopped early because its folder could not be written (a full disk, a file-size
    /// limit); nil when every write went through.
    package private(set) var writeFailure: String?
    /// Why the run stopped because its folder was deleted under it; nil otherwise.
    package private(set) var folderLoss: String?
    /// Every sample row as it was written, for the final judge (`RunJudge.judge(_:samples:)`), so
    /// it need not read `samples.csv` back; nil before the run records.
    package private(set) var liveSamples: LiveSamples?

    /// Creates the run folder. `clock` is the one the run waits on, which the stop signals ring;
    /// `progress` sees the scenario advance (a terminal line, say); `log` receives one-line
    /// messages for the user.
    package init(
        options: SoakRunOptions, clock: any RunClock, progress: RunProgress?, log: @escaping (String) -> Void
    ) throws {
        self.options = options
        self.clock = clock
        self.progress = progress
        self.log = log
        folder = try options.runFolder.map(RunFolder.init(path:))
            ?? RunFolder.create(under: options.outputParent, profile: options.profile.name)
        lock = try RunLock.acquire(folder, clock: clock)
        monitor = RunMonitor(folder: folder, options: options)
    }

    /// Runs to the end and returns the final manifest.
    package func run() -> RunManifest {
        let scenario = options.effectiveScenario
        let accelerate = options.effectiveAccelerate
        let clockMode = options.effectiveClock
        var manifest = RunManifest(
            profile: options.profile.name, profileDescription: options.profile.description,
            commandLine: options.commandLine, soakVersion: SoakVersion.current, kernel: SoakVersion.kernel,
            harnessPID: getpid(), accelerate: accelerate, scenarioKind: scenario.kind.rawValue,
            intervalSeconds: scenario.interval.secondsValue, durationSeconds: scenario.duration.secondsValue,
            plannedCycles: scenario.cycles, startedAt: Date(), clock: clockMode.rawValue)
        try? FileManager.default.copyItem(atPath: options.profileFile, toPath: folder.profileCopy)
        let recorder: RunRecorder
        do {
            recorder = try RunRecorder(
                folder: folder, declaredColumns: options.profile.declaredColumns,
                judging: LiveSamples.Plan(profile: options.profile, scenario: scenario)
            ) { [progress] in progress?.show($0) }
        } catch {
            return finish(&manifest, .crashed, "cannot write to the run folder: \(error)")
        }
        liveSamples = recorder.live
        save(manifest)
        let watch = RunFolderWatch(recorder, waking: clock)
        monitor.start(manifest) { watch.look() }

        let bodyFiles: [String: [UInt8]]
        do {
            bodyFiles = try RunPreflight.bodyFiles(
                options.profile, profileFile: options.profileFile, shownAs: options.profileFile)
        } catch {
            recorder.record(event: "not-ready", message: error.description)
            return finish(&manifest, .notReady, error.description)
        }
        var plan: TargetLaunchPlan
        let target: TargetProcess
        let sources: [any MetricSource]
        do {
            plan = try TargetLaunchPlan.make(
                for: options.profile.target, folder: folder, accelerate: accelerate, clock: clockMode,
                tenantdPath: options.tenantdPath)
            sources = try MetricSources.make(
                for: options.profile.target, plan: &plan, folder: folder,
                schedule: CulpritSchedule(troughs: options.profile.sampling.troughs))
            if let seed = plan.seed, try !seedRegistry(tenantd: seed.tenantd, arguments: seed.arguments) {
                return interrupted(&manifest, recorder, "while seeding the registry")
            }
            manifest.targetCommand = [plan.launch.executable] + plan.launch.arguments
            // The target's exit wakes the run, so a crash is seen at once, not at the next sample.
            target = try TargetProcess.launch(plan.launch) { [clock] in clock.wake() }
        } catch {
            recorder.record(event: "not-ready", message: error.description)
            return finish(&manifest, .notReady, error.description)
        }
        manifest.targetPID = target.pid
        save(manifest)

        let baseURL: String?
        do {
            let readiness = try ReadinessWaiter.wait(
                for: target, plan: plan, clock: clock, stopRequested: stopRequested)
            guard case .ready(let url) = readiness else {
                tearDown(target, into: &manifest)
                return interrupted(&manifest, recorder, "before the target was ready")
            }
            baseURL = url
        } catch {
            tearDown(target, into: &manifest)
            let reason = "\(error.description)\(stderrTail())"
            recorder.record(event: "not-ready", message: reason)
            return finish(&manifest, .notReady, reason)
        }
        recorder.record(event: "ready", message: "target pid \(target.pid) ready\(baseURL.map { " at \($0)" } ?? "")")
        let timeline: HTTPVirtualTimeline?
        switch SteppedRunSetup.timeline(
            for: clockMode, plan: plan, baseURL: baseURL, onNotice: noting(as: "clock", in: recorder)) {
        case .success(let connected): timeline = connected
        case .failure(let error):
            tearDown(target, into: &manifest)
            recorder.record(event: "not-ready", message: error.description)
            return finish(&manifest, .notReady, error.description)
        }
        log("run folder \(folder.path): target pid \(target.pid) ready; replaying \(scenario.cycles) cycles of "
            + "\(DurationText.format(scenario.interval)) over \(DurationText.format(scenario.duration)) "
            + SteppedRunSetup.replayLine(clock: clockMode, accelerate: accelerate))

        let load = BackgroundLoad(scenario, folder: folder)
        if let failure = load?.start(baseURL: baseURL, timeout: scenario.requestTimeoutWall, bodyFiles: bodyFiles) {
            manifest.load = load?.stop(grace: .zero, clock: clock, hurry: { true })
            tearDown(target, into: &manifest)
            recorder.record(event: "not-ready", message: failure)
            return finish(&manifest, .notReady, failure)
        }
        let replayStarted = clock.now
        let result = replay(
            scenario: scenario, accelerate: accelerate, target: target, plan: plan, baseURL: baseURL,
            bodyFiles: bodyFiles, sources: sources + (load?.sources ?? []), timeline: timeline, recorder: recorder,
            watch: watch)
        // Before the target's teardown, so the load never counts the shutdown as its failures.
        manifest.load = load?.stop(grace: options.profile.limits.teardownGraceWall, clock: clock, hurry: hurryRequested())
        progress?.finish()
        manifest.cyclesCompleted = result.cyclesCompleted
        manifest.integrity = result.integrity
        manifest.requests = result.requests
        manifest.failedRequests = result.failedRequests
        manifest.culpritReadings = recorder.culpritLines
        SteppedRunSetup.record(result, clock: clockMode, interval: scenario.interval,
                               replayWall: clock.now - replayStarted, into: &manifest)
        if let message = SteppedRunSetup.lateNote(result) {
            recorder.record(event: "late-cycles", message: message)
            log("note: " + message)
        }

        let crashedExit = result.stoppedBy == .targetExited ? target.exit : nil
        let roles = sources.lazy.compactMap { $0 as? ProcessRolesSource }.first
        if let roles, result.stoppedBy == nil, let baseURL {
            roles.refreshChildren()
            var check = FleetCheck()
            check.examine(stats: FleetCheck.fetchStats(baseURL: baseURL), children: roles.children)
            manifest.fleet = check
        }
        let teardown = tearDown(target, into: &manifest)
        if let roles, var check = manifest.fleet {
            check.checkOrphans(seen: roles.childrenSeen)
            manifest.fleet = check
            recorder.record(event: "fleet", message: check.summary)
            log("fleet: " + check.summary)
        }
        manifest.targetExit = crashedExit ?? teardown.exit
        recorder.sync()

        if let lost = watch.lostFile {
            let reason = "the run folder \(folder.path) lost its \(lost) during cycle \(result.cyclesCompleted) of "
                + "\(scenario.cycles): it was deleted while the run went on, so the target was stopped; nothing "
                + "recorded from then on could be read, and no verdict can be given"
            folderLoss = reason
            return finish(&manifest, .interrupted, reason)
        }
        if let writeError = recorder.writeError {
            let reason = "stopped after \(result.cyclesCompleted) of \(scenario.cycles) cycles: the run folder "
                + "cannot be written (\(writeError)); what was written before is kept"
            writeFailure = reason
            return finish(&manifest, .interrupted, reason)
        }
        switch result.stoppedBy {
        case .targetExited:
            let reason = "the target \(manifest.targetExit.map(\.description) ?? "exited") during cycle \(result.cyclesCompleted)\(stderrTail())"
            recorder.record(event: "target-exit", message: reason)
            return finish(&manifest, .crashed, reason)
        case .interrupted:
            return interrupted(&manifest, recorder, "after \(result.cyclesCompleted) of \(scenario.cycles) cycles")
        case .clockFailed(let why):
            let reason = "the target did not settle after an advance of its stepped clock in cycle "
                + "\(result.cyclesCompleted): \(why)\(stderrTail())"
            recorder.record(event: "clock", message: reason)
            return finish(&manifest, .crashed, reason)
        case nil:
            recorder.record(event: "completed", message: "\(result.cyclesCompleted) cycles; target ended by \(teardown.step.rawValue)")
            return finish(&manifest, .completed, nil)
        }
    }

    /// Stops the target in steps and records which step ended it.
    @discardableResult
    private func tearDown(
        _ target: TargetProcess, into manifest: inout RunManifest
    ) -> (step: TeardownStep, exit: TargetExit?) {
        let teardown = target.terminate(
            grace: options.profile.limits.teardownGraceWall, clock: clock, hurry: hurryRequested())
        manifest.targetExit = teardown.exit
        manifest.teardown = teardown.step
        return teardown
    }

    /// Ends a run a stop request cut short, `when` saying where it was.
    private func interrupted(_ manifest: inout RunManifest, _ recorder: RunRecorder, _ when: String) -> RunManifest {
        let reason = "stopped by \(StopSignals.received.map(TargetExit.signalName) ?? "request") \(when)"
        recorder.record(event: "interrupted", message: reason)
        recorder.sync()
        return finish(&manifest, .interrupted, reason)
    }

    private func stderrTail() -> String {
        guard let text = try? String(contentsOfFile: folder.targetStderr, encoding: .utf8), !text.isEmpty else { return "" }
        let lines = text.split(separator: "\n").suffix(10).joined(separator: "\n    ")
        return "\n  last lines of target.stderr.log:\n    \(lines)"
    }

    private func finish(_ manifest: inout RunManifest, _ status: RunManifest.Status, _ reason: String?) -> RunManifest {
        manifest.end(status, reason: reason)
        save(manifest)
        monitor.finish(manifest)
        return manifest
    }

    private func save(_ manifest: RunManifest) {
        guard folderLoss == nil else { return }
        manifest.save(in: folder, log: log)
    }
}
