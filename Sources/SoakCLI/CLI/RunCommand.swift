import MiniHTTP
import SoakProfiles
import SoakReports
import SoakRun
import SoakUnits

/// `soak run PROFILE`: replays the profile and judges the run.
enum RunCommand {
    static let usage = "soak run PROFILE [--clock scaled|stepped] [--accelerate N] [--duration D] [--out DIR] [--detach] "
        + "[--metrics-listen HOST:PORT]"
    static let help = """
        usage: \(usage)

        Starts the profile's target, replays its scenario on a clock sped up N times, samples memory,
        writes a run folder under DIR (default reports/) and judges it.
          PROFILE          a shipped profile name (see soak profiles) or a path to a profile JSON file
          --clock C        scaled: the target's clock runs --accelerate times wall time; stepped: the harness
                           advances the target's virtual clock and waits for it to settle, so no scheduler
                           can break a cycle (default: the profile's clock, else scaled)
          --accelerate N   simulated seconds per wall second on the scaled clock (default: the profile's);
                           given for a stepped profile without --clock, the run takes the scaled clock
          --duration D     simulated length, overriding the profile's (e.g. 6h, 2d)
          --out DIR        where run folders go (default reports)
          --detach         run in the background, in a session of its own that outlives the terminal:
                           prints the run folder and the harness pid and returns once the run owns its
                           folder; its output goes to DIR/soak.log. Follow it with soak status DIR,
                           end it (and write its reports) with soak stop DIR
          --metrics-listen HOST:PORT
                           serve GET /metrics in the Prometheus text format while the run goes, e.g.
                           127.0.0.1:9464; port 0 picks a free port (printed, and kept in status.json)
        While it runs, the folder's status.json says where the run stands (rewritten every few seconds).
        exit codes: 0 pass, 1 leak, 2 bad usage or profile, 3 crashed, not ready, invalid or interrupted;
                    with --detach: 0 once the run has started, 2 bad usage, 3 the run could not start
        """

    static func run(_ arguments: [String], commandLine: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "run")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let accelerate = try arguments.number("--accelerate", expected: "a positive number like 7200")
        let duration = try arguments.duration("--duration")
        var clockMode: ClockMode?
        if let text = try arguments.value("--clock") {
            guard let mode = ClockMode(rawValue: text) else {
                throw CommandError("run: --clock: expected scaled or stepped, found \"\(text.prefix(40))\"")
            }
            clockMode = mode
        }
        let out = try arguments.value("--out") ?? "reports"
        let detach = arguments.flag("--detach")
        // Hidden: the folder a --detach parent made and printed for this run (see DetachedLaunch).
        let runFolder = try arguments.value("--run-folder")
        var metricsAddress: SocketAddress?
        if let text = try arguments.value("--metrics-listen") {
            metricsAddress = try CommandError.mapping { () throws(MetricsEndpointError) in try MetricsEndpoint.parse(text) }
        }
        let profileArgument = try arguments.positionals(count: 1...1, usage: usage)[0]

        let catalog = ProfileCatalog.locate()
        let profile: Profile
        let profileFile: String
        do {
            profileFile = try catalog.resolve(profileArgument)
            profile = try catalog.load(profileArgument)
            // Hosts that do not resolve and body files that cannot be read are refused now, as
            // bad input, rather than after the target has started.
            let shown = ProfileCatalog.isPath(profileArgument) ? profileArgument : catalog.displayPath(profileFile)
            try RunPreflight.check(profile, profileFile: profileFile, shownAs: shown)
        } catch {
            throw CommandError(error.description)
        }
        if let (clock, note) = scaledClockForAccelerate(profile: profile, clockFlag: clockMode, accelerate: accelerate) {
            clockMode = clock
            Output.err(note)
        }
        try checkOverrides(of: profile, file: profileFile, clock: clockMode, accelerate: accelerate, duration: duration)

        if runFolder == nil {
            do {
                try RunFolder.prepareParent(out, probing: true)
            } catch {
                throw CommandError("run: --out \(error)")
            }
        }

        var options = SoakRunOptions(profile: profile, profileFile: profileFile, tenantdPath: TenantdLocator.locate())
        options.accelerate = accelerate
        options.clock = clockMode
        options.duration = duration
        options.outputParent = out
        options.commandLine = commandLine
        options.runFolder = runFolder
        if let metricsAddress {
            try CommandError.mapping { () throws(MetricsEndpointError) in try MetricsEndpoint.checkAvailable(metricsAddress) }
        }
        if detach {
            return try startDetached(runArguments: Array(commandLine.dropFirst()), options: options)
        }
        // The run waits on this clock alone; SIGINT, SIGTERM and soak stop ring it.
        let clock = SystemRunClock()
        StopSignals.install(waking: clock)
        let runner: SoakRunner
        do {
            runner = try SoakRunner(options: options, clock: clock, progress: ProgressDisplay()) { Output.err($0) }
        } catch {
            throw CommandError("run: \(error is RunFolderError ? "--out " : "")\(error)")
        }
        let endpoint = try metricsAddress.map { (address) throws(CommandError) in
            try serveMetrics(at: address, monitor: runner.monitor)
        }
        let manifest = runner.run()
        endpoint?.shutdown()
        if let loss = runner.folderLoss {
            Output.err("soak: run: \(loss)")
            return .failed
        }
        let code = try RunVerdictPrinter.conclude(folder: runner.folder, manifest: manifest, samples: runner.liveSamples)
        if let failure = runner.writeFailure {
            // Whatever the recorded part shows, the run did not finish: never a pass or a leak.
            Output.err("soak: run: \(runner.folder.path): \(failure)")
            return .failed
        }
        return code
    }

    /// A scale asked for a stepped profile without `--clock`: the user wants the scaled clock at that
    /// scale (the shipped `quick` is stepped, and `soak run quick --accelerate 3600` predates it), so
    /// the run takes it and says so in one line. Nil when nothing changes; `--clock stepped` with a
    /// scale is still refused by `checkOverrides`, since there the user asked for both.
    static func scaledClockForAccelerate(
        profile: Profile, clockFlag: ClockMode?, accelerate: Double?
    ) -> (clock: ClockMode, note: String)? {
        guard clockFlag == nil, profile.clock == .stepped, let accelerate else { return nil }
        let shown = DecimalText.format(accelerate, significant: 6)
        return (.scaled, "soak: run: --accelerate \(shown): the profile's clock is stepped, which has no scale; "
            + "running on the scaled clock at \(shown)x instead")
    }

    /// `--clock`, `--accelerate` and `--duration` change the profile, so the changed profile must
    /// pass the same rules as a file; the flags' own bounds come first, named by flag.
    static func checkOverrides(
        of profile: Profile, file: String, clock: ClockMode? = nil, accelerate: Double?, duration: Duration?
    ) throws(CommandError) {
        if (clock ?? profile.clock) == .stepped, let accelerate {
            throw CommandError("run: --accelerate \(DecimalText.format(accelerate, significant: 6)) applies to the "
                + "scaled clock; the stepped clock has no scale: it runs as fast as the target settles")
        }
        if let accelerate {
            let shown = DecimalText.format(accelerate, significant: 6)
            if let refusal = ProfileLimits.accelerate.refusal(of: accelerate) {
                throw CommandError("run: --accelerate: \(refusal.message(found: shown))")
            }
            if accelerate > profile.limits.maxAccelerate {
                throw CommandError("run: --accelerate \(shown) is above the profile's limits.maxAccelerate "
                    + "(\(DecimalText.format(profile.limits.maxAccelerate, significant: 6)))")
            }
        }
        if let duration, duration < profile.scenario.interval {
            throw CommandError("run: --duration \(DurationText.format(duration)) is shorter than one cycle "
                + "(\(DurationText.format(profile.scenario.interval)))")
        }
        guard clock != nil || accelerate != nil || duration != nil else { return }
        var changed = profile
        var flags: [String] = []
        if let clock {
            changed.clock = clock
            flags.append("--clock \(clock.rawValue)")
        }
        if let accelerate {
            changed.accelerate = accelerate
            flags.append("--accelerate \(DecimalText.format(accelerate, significant: 6))")
        }
        if let duration {
            changed.scenario.duration = duration
            flags.append("--duration \(DurationText.format(duration))")
        }
        do {
            try changed.validate(file: "\(file) with \(flags.joined(separator: " "))")
        } catch {
            throw CommandError(error.description)
        }
    }
}
