/// `soak run PROFILE`: replays the profile and judges the run.
enum RunCommand {
    static let usage = "soak run PROFILE [--accelerate N] [--duration D] [--out DIR]"
    static let help = """
        usage: \(usage)

        Starts the profile's target, replays its scenario on a clock sped up N times, samples memory,
        writes a run folder under DIR (default reports/) and judges it.
          PROFILE          a shipped profile name (see soak profiles) or a path to a profile JSON file
          --accelerate N   simulated seconds per wall second (default: the profile's)
          --duration D     simulated length, overriding the profile's (e.g. 6h, 2d)
          --out DIR        where run folders go (default reports)
        exit codes: 0 pass, 1 leak, 2 bad usage or profile, 3 crashed, not ready, invalid or interrupted
        """

    static func run(_ arguments: [String], commandLine: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "run")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let accelerate = try arguments.number("--accelerate", expected: "a positive number like 7200")
        let duration = try arguments.duration("--duration")
        let out = try arguments.value("--out") ?? "reports"
        let profileArgument = try arguments.positionals(count: 1...1, usage: usage)[0]

        let catalog = ProfileCatalog.locate()
        let profile: Profile
        let profileFile: String
        do {
            profileFile = try catalog.resolve(profileArgument)
            profile = try catalog.load(profileArgument)
        } catch {
            throw CommandError(error.description)
        }
        if let accelerate, accelerate > profile.limits.maxAccelerate {
            throw CommandError("run: --accelerate \(SampleRow.format(accelerate)) is above the profile's limits.maxAccelerate (\(SampleRow.format(profile.limits.maxAccelerate)))")
        }
        if let duration, duration < profile.scenario.interval {
            throw CommandError("run: --duration \(DurationText.format(duration)) is shorter than one cycle (\(DurationText.format(profile.scenario.interval)))")
        }

        var options = SoakRunOptions(profile: profile, profileFile: profileFile, tenantdPath: TenantdLocator.locate())
        options.accelerate = accelerate
        options.duration = duration
        options.outputParent = out
        options.commandLine = commandLine
        StopSignals.install()
        let runner: SoakRunner
        do {
            runner = try SoakRunner(options: options, display: ProgressDisplay()) { Output.err($0) }
        } catch {
            throw CommandError("run: \(error)")
        }
        _ = runner.run()
        return try RunVerdictPrinter.conclude(folder: runner.folder)
    }
}
