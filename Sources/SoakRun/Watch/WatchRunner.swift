import FoundationEssentials
import Glibc
import PosixSupport
import SoakProfiles
import SoakUnits

/// Runs one `soak watch`: samples a process tree or a cgroup that soak did not start, replays the
/// profile's requests if it has any, and records a run folder that the judge reads as any other.
///
/// The subject is never signalled: at the end soak lets go of it and says so in events.jsonl.
/// A subject that goes before a set duration ends the run as crashed (the watch did not see what it
/// was asked to see); an open-ended watch ends normally when its subject goes or soak is stopped.
package final class WatchRunner {
    package let options: WatchOptions
    package let folder: RunFolder
    package let monitor: RunMonitor
    private let lock: RunLock
    private let clock: any RunClock
    private let progress: RunProgress?
    private let log: (String) -> Void
    /// Why the run stopped because its folder could not be written or was deleted; nil otherwise.
    package private(set) var folderProblem: String?
    /// Every sample row as it was written, for the final judge; nil before the watch records.
    package private(set) var liveSamples: LiveSamples?

    package init(
        options: WatchOptions, clock: any RunClock, progress: RunProgress?, log: @escaping (String) -> Void
    ) throws {
        self.options = options
        self.clock = clock
        self.progress = progress
        self.log = log
        folder = try RunFolder.create(under: options.outputParent, profile: options.subject.folderName)
        lock = try RunLock.acquire(folder, clock: clock)
        monitor = RunMonitor(folder: folder, options: options.runOptions)
    }

    /// Watches to the end and returns the final manifest.
    package func run(stopRequested: @escaping () -> Bool) -> RunManifest {
        let scenario = options.profile.scenario
        var manifest = RunManifest(
            profile: options.profile.name, profileDescription: options.profile.description,
            commandLine: options.commandLine, soakVersion: SoakVersion.current, kernel: SoakVersion.kernel,
            harnessPID: getpid(), accelerate: options.accelerate, scenarioKind: scenario.kind.rawValue,
            intervalSeconds: scenario.interval.secondsValue, durationSeconds: scenario.duration.secondsValue,
            plannedCycles: scenario.cycles, startedAt: Date())
        manifest.watch = WatchRecord(options.subject, untilExit: options.untilExit)
        if case .process(let process) = options.subject {
            manifest.targetPID = process.pid
            manifest.targetCommand = [process.command]
        }
        if let file = options.profileFile {
            try? FileManager.default.copyItem(atPath: file, toPath: folder.profileCopy)
        } else if let json = options.profileJSON {
            try? (json + "\n").write(toFile: folder.profileCopy, atomically: true, encoding: .utf8)
        }
        var columns = options.profile.declaredColumns
        if case .cgroup = options.subject {
            for name in DeclaredColumns.cgroup.map(\.rawValue) where !columns.contains(name) { columns.append(name) }
        }
        let recorder: RunRecorder
        do {
            recorder = try RunRecorder(
                folder: folder, declaredColumns: columns,
                judging: LiveSamples.Plan(profile: options.profile, scenario: scenario)
            ) {
                [progress] in progress?.show($0)
            }
        } catch {
            return finish(&manifest, .crashed, "cannot write to the run folder: \(error)")
        }
        liveSamples = recorder.live
        save(manifest)
        let folderWatch = RunFolderWatch(recorder, waking: clock)
        let exitWatch = SubjectExitWatch(options.subject, waking: clock)
        monitor.start(manifest) {
            folderWatch.look()
            exitWatch.look()
        }
        // The profile's background load runs beside the watch as beside a run: counted apart, and
        // never stopping the subject, which soak did not start.
        let load = BackgroundLoad(scenario, folder: folder)
        if let failure = load?.start(
            baseURL: options.baseURL, timeout: scenario.requestTimeoutWall, bodyFiles: options.bodyFiles
        ) {
            manifest.load = load?.stop(grace: .zero, clock: clock, hurry: { true })
            recorder.record(event: "load", message: failure)
            return finish(&manifest, .notReady, failure)
        }
        let sources = metricSources() + (load?.sources ?? [])
        // The command line has said what is watched; the event keeps it in the record.
        recorder.record(event: "attached",
                        message: "watching \(options.subject.description); soak did not start it and will not stop it")
        if case .process(let process) = options.subject,
           let denied = ProcAccess.check(pid: process.pid).message(owner: process.uid, viewer: getuid()) {
            note("unreadable", denied, recorder)
        }
        let sampler = TargetSampler(
            processes: processes(), fetchStats: statsFetcher(recorder), sources: sources,
            reads: options.profile.sampling.reads,
            onNotice: { [log] notice in
                recorder.record(event: "source", message: notice)
                log("note: " + notice)
            })
        let sender = scenario.kind == .sampleOnly || scenario.requests.isEmpty ? nil
            : HTTPRequestSender(
                baseURL: options.baseURL, timeout: scenario.requestTimeoutWall, bodyFiles: options.bodyFiles)
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: scenario), sampling: options.profile.sampling, scale: options.accelerate,
            clock: clock, sender: sender, sampler: sampler, sink: monitor.observing(recorder),
            shouldStop: {
                if stopRequested() || recorder.writeError != nil || folderWatch.lostFile != nil { return .interrupted }
                // Looked at here too: a sample must not be taken of a pid that now names another process.
                exitWatch.look()
                return exitWatch.hasEnded ? .targetExited : nil
            })
        let result = driver.run()
        manifest.load = load?.stop(grace: options.profile.limits.teardownGraceWall, clock: clock, hurry: stopRequested)
        progress?.finish()
        manifest.cyclesCompleted = result.cyclesCompleted
        manifest.integrity = result.integrity
        manifest.requests = result.requests
        manifest.failedRequests = result.failedRequests
        // Counted as `soak run` counts them, so a culprits.jsonl cut short is named here too.
        manifest.culpritReadings = recorder.culpritLines
        let elapsed = "after \(result.cyclesCompleted) of \(scenario.cycles) cycles"
        if options.untilExit {
            // The run had no planned end: what it covered is the plan, so the evidence checks hold it
            // to what it did.
            manifest.plannedCycles = result.cyclesCompleted
            manifest.durationSeconds = scenario.interval.secondsValue * Double(result.cyclesCompleted)
        }
        note("detached", "let go of \(options.subject.description) without signalling it", recorder)
        recorder.sync()
        if let lost = folderWatch.lostFile {
            folderProblem = "the run folder \(folder.path) lost its \(lost) \(elapsed); no verdict can be given"
            return finish(&manifest, .interrupted, folderProblem)
        }
        if let error = recorder.writeError {
            folderProblem = "stopped \(elapsed): the run folder cannot be written (\(error))"
            return finish(&manifest, .interrupted, folderProblem)
        }
        let gone = options.subject.goneText
        let stop: DriverStop? = result.stoppedBy
        switch (stop, options.untilExit) {
        case (.some(.targetExited), false):
            let reason = "the watched \(options.subject.description) \(gone) \(elapsed), before the watch's end"
            recorder.record(event: "target-exit", message: reason)
            return finish(&manifest, .crashed, reason)
        case (.some(.targetExited), true):
            recorder.record(event: "completed", message: "the watched \(options.subject.description) \(gone) "
                + "after \(result.cyclesCompleted) cycles")
            return finish(&manifest, .completed, nil)
        case (.some(.interrupted), false):
            let reason = "stopped by \(StopSignals.received.map(TargetExit.signalName) ?? "request") \(elapsed)"
            recorder.record(event: "interrupted", message: reason)
            return finish(&manifest, .interrupted, reason)
        case (.some(.interrupted), true):
            recorder.record(event: "completed", message: "stopped by "
                + "\(StopSignals.received.map(TargetExit.signalName) ?? "request") after \(result.cyclesCompleted) "
                + "cycles, as an open-ended watch ends")
            return finish(&manifest, .completed, nil)
        case (.some(.clockFailed(let why)), _):
            // A watch never drives a stepped clock; said plainly should that ever change.
            recorder.record(event: "clock", message: why)
            return finish(&manifest, .crashed, why)
        case (.none, _):
            recorder.record(event: "completed", message: "\(result.cyclesCompleted) cycles")
            return finish(&manifest, .completed, nil)
        }
    }

    private func processes() -> any ProcessSetSampling {
        switch options.subject {
        case .process(let process): ProcessTreeSampler(rootPID: process.pid)
        case .cgroup(let location): CgroupMemberSampler(location: location)
        }
    }

    private func metricSources() -> [any MetricSource] {
        var sources: [any MetricSource] = []
        if case .command(let command) = options.profile.target {
            if !command.metrics.isEmpty, let url = options.metricsURL {
                do {
                    sources.append(try PrometheusSource(url: url, series: command.metrics, timeout: .seconds(2)))
                } catch {
                    log("note: \(error)")
                }
            }
            if let jvm = command.jvm { sources.append(JVMSource(settings: jvm, logPath: folder.path + "/jcmd.log")) }
        }
        switch options.subject {
        case .process: sources.append(CgroupSource())
        case .cgroup(let location): sources.append(CgroupSource(location: location))
        }
        return sources
    }

    private func statsFetcher(_ recorder: RunRecorder) -> (() -> RuntimeStatsReading?)? {
        guard let url = options.statsURL else { return nil }
        switch TargetEndpoint.resolve(url, role: .endpoint, timeout: .seconds(2)) {
        case .success(let endpoint):
            return {
                guard let response = try? endpoint.get(), (200..<300).contains(response.status) else { return nil }
                return RuntimeStatsReading.decode(response.body)
            }
        case .failure(let error):
            note("no-stats", "no heap counters: \(error)", recorder)
            return nil
        }
    }

    private func note(_ event: String, _ message: String, _ recorder: RunRecorder) {
        recorder.record(event: event, message: message)
        log("note: " + message)
    }

    private func finish(_ manifest: inout RunManifest, _ status: RunManifest.Status, _ reason: String?) -> RunManifest {
        manifest.end(status, reason: reason)
        save(manifest)
        monitor.finish(manifest)
        return manifest
    }

    private func save(_ manifest: RunManifest) {
        manifest.save(in: folder, log: log)
    }
}

extension WatchSubject {
    /// What became of it: "exited", or for a group "was emptied or removed".
    var goneText: String {
        switch self {
        case .process: "exited"
        case .cgroup: "was emptied or removed"
        }
    }
}
