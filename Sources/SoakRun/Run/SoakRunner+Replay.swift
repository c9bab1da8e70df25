import SoakProfiles

/// The replay itself: the request sender, the sampler and the driver a run wires together, and
/// the registry seeding before it. Kept apart from `run()`, which is the run's life cycle.
extension SoakRunner {
    /// Replays the scenario against the ready target until its end or a stop.
    func replay(
        scenario: Profile.Scenario, accelerate: Double, target: TargetProcess, plan: TargetLaunchPlan,
        baseURL: String?, bodyFiles: [String: [UInt8]], sources: [any MetricSource],
        timeline: (any VirtualTimeline)?, recorder: RunRecorder, watch: RunFolderWatch
    ) -> ScenarioDriver.Result {
        // Never nil for a scenario with requests: a base URL that is missing or unusable fails
        // every request with its reason, so the run is invalid rather than a pass on an idle target.
        let sender = scenario.kind == .sampleOnly ? nil
            : HTTPRequestSender(baseURL: baseURL, timeout: scenario.requestTimeoutWall, bodyFiles: bodyFiles)
        // Stats go over a connection of their own so a slow stats call never delays a request.
        var stats: TargetEndpoint?
        if let statsURL = plan.statsURL ?? plan.statsPath.flatMap({ path in baseURL.map { $0 + path } }) {
            switch TargetEndpoint.resolve(statsURL, role: .endpoint, timeout: .seconds(2)) {
            case .success(let endpoint):
                stats = endpoint
            case .failure(let error):
                recorder.record(event: "no-stats", message: "no heap counters: \(error)")
                log("note: no heap counters: \(error)")
            }
        }
        var artifactKind = "service"
        if case .tenantd(let tenantd) = options.profile.target { artifactKind = tenantd.kind }
        let sampler = TargetSampler(
            rootPID: target.pid,
            fetchStats: stats.map { endpoint in
                {
                    // A target that answers an advance with its stats (tenantd) saves a round trip.
                    if let answer = timeline?.takeSettledAnswer(), let reading = RuntimeStatsReading.decode(answer),
                       reading.hasValues { return reading }
                    guard let response = try? endpoint.get(), (200..<300).contains(response.status) else { return nil }
                    return RuntimeStatsReading.decode(response.body)
                }
            },
            sources: sources, reads: options.profile.sampling.reads,
            culprits: CulpritSchedule(troughs: options.profile.sampling.troughs),
            onNotice: noting(as: "source", in: recorder))
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: scenario, artifactKind: artifactKind), sampling: options.profile.sampling,
            scale: accelerate,
            clock: clock, sender: sender, sampler: sampler,
            sink: monitor.observing(recorder), timeline: timeline,
            shouldStop: { [stopRequested] in
                if stopRequested() || recorder.writeError != nil || watch.lostFile != nil { return .interrupted }
                if target.exit != nil { return .targetExited }
                return nil
            })
        return driver.run()
    }

    /// Where a notice goes: an `event` line in events.jsonl and a note in the log.
    func noting(as event: String, in recorder: RunRecorder) -> (String) -> Void {
        let log = self.log
        return { notice in
            recorder.record(event: event, message: notice)
            log("note: " + notice)
        }
    }

    /// Writes the registry fixture with `tenantd seed`; false when a stop request ended it first.
    func seedRegistry(tenantd: String, arguments: [String]) throws(SupervisorError) -> Bool {
        let spec = LaunchSpec(
            executable: tenantd, arguments: arguments, stdoutPath: "\(folder.path)/seed.log",
            stderrPath: "\(folder.path)/seed.stderr.log")
        let seeding = try TargetProcess.launch(spec)
        switch clock.poll(every: .milliseconds(5), for: .seconds(120), unless: stopRequested, { seeding.exit }) {
        case .value(.exited(status: 0)):
            return true
        case .interrupted:
            // A half-written registry is scratch: the seeder dies on SIGTERM, and is killed otherwise.
            _ = seeding.terminate(grace: .seconds(1), clock: clock, hurry: hurryRequested())
            return false
        case .value, .timedOut:
            _ = seeding.terminate(grace: .seconds(1), clock: clock)
            let output = (try? String(contentsOfFile: spec.stderrPath, encoding: .utf8)) ?? ""
            throw SupervisorError("seeding the registry failed (\(seeding.exit?.description ?? "timed out")): \(output.suffix(500))")
        }
    }

    /// Whether SIGINT, SIGTERM or `soak stop` asked the run to stop.
    var stopRequested: () -> Bool { { StopSignals.received != nil } }

    /// A condition that holds once a stop request arrives after now: during a teardown, a further
    /// request means "now", so the grace is cut short.
    func hurryRequested() -> () -> Bool {
        let before = StopSignals.requests
        return { StopSignals.requests > before }
    }
}
