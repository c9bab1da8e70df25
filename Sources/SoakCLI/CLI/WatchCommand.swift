import Glibc
import SoakProfiles
import SoakRun
import SoakUnits

/// `soak watch PID | --cgroup PATH`: samples and judges a process or cgroup that soak did not start.
enum WatchCommand {
    static let usage = "soak watch PID | --cgroup PATH [--duration D] [--profile P] [--interval D] [--every D] "
        + "[--request PATH ...] [--base-url URL | --port N] [--accelerate N] [--out DIR]"
    static let help = """
        usage: \(usage)

        Attaches to a process (with its descendants) or a cgroup that soak did not start (systemd,
        docker compose, a test script), samples its memory, writes a run folder under DIR (default
        reports/) and judges it like soak run: same files, reports, verdicts and exit codes. soak never
        signals what it did not start: at the end it lets go and the process runs on.
          PID              the process to watch; its descendants are sampled with it
          --cgroup PATH    watch every process of a cgroup instead, with the group's memory columns:
                           its directory (/sys/fs/cgroup/system.slice/app.service) or its path as
                           /proc/PID/cgroup names it (/system.slice/app.service)
          --duration D     how long to watch (e.g. 10m, 2h). Without it, and without --profile, the
                           watch runs until the process exits (or the cgroup empties) or until SIGINT,
                           SIGTERM or soak stop, and then judges what it saw. With a duration, the
                           process exiting first ends the run as CRASHED (exit 3)
          --profile P      judge by a profile: its scenario (requests, interval, duration), sampling,
                           thresholds and metric sources; its target is not started. {port} in its URLs
                           is filled from --port; heap "glibc" cannot attach and is refused
          --interval D     without --profile: one cycle (a trough sample, and the requests) every D
                           (default 1m)
          --every D        without --profile: a periodic sample every D (default 10s)
          --request PATH   without --profile: GET PATH below --base-url each cycle (repeatable); a run
                           in which no request succeeds is INVALID, never a pass
          --base-url URL   where requests go, e.g. http://127.0.0.1:8000 (overrides the profile's)
          --port N         the port the process listens on: fills {port} in the profile's URLs, or
                           means http://127.0.0.1:N as the base URL
          --accelerate N   how many times faster than real time the process's own clock runs (tenantd
                           started with --time-scale N); soak cannot change it. Default 1
          --out DIR        where run folders go (default reports)
        /proc files another user's process keeps private (smaps_rollup, fd) are named at the start;
        their columns stay empty and a judged metric without values makes the run INCONCLUSIVE.
        exit codes: 0 pass, 1 leak, 2 bad usage, a pid that does not exist, a cgroup that is not there,
                    3 crashed (the process exited before --duration ended), invalid or interrupted
        """

    static func run(_ arguments: [String], commandLine: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "watch")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let cgroup = try arguments.value("--cgroup")
        let profileArgument = try arguments.value("--profile")
        let duration = try arguments.duration("--duration")
        let interval = try arguments.duration("--interval")
        let every = try arguments.duration("--every")
        let requests = try arguments.values("--request")
        let baseURL = try arguments.value("--base-url")
        let portText = try arguments.value("--port")
        let accelerate = try arguments.number("--accelerate", expected: "a number of at least 1 like 1440")
        let out = try arguments.value("--out") ?? "reports"
        let positionals = try arguments.positionals(count: cgroup == nil ? 1...1 : 0...0, usage: usage)

        let port = try portText.map { (text) throws(CommandError) -> Int in
            guard let port = Int(text), (1...65_535).contains(port) else {
                throw CommandError("watch: --port: expected a port from 1 to 65535, found \"\(text)\"")
            }
            return port
        }
        if baseURL != nil, port != nil {
            throw CommandError("watch: give --base-url or --port, not both")
        }
        if profileArgument != nil, let flag = [("--interval", interval != nil), ("--every", every != nil),
            ("--request", !requests.isEmpty)].first(where: \.1)?.0 {
            throw CommandError("watch: \(flag) is for a watch without --profile; with a profile, its scenario "
                + "and sampling say it")
        }
        let subject: WatchSubject
        do {
            if let cgroup {
                subject = .cgroup(try WatchedCgroup.locate(cgroup))
            } else if let pid = pid_t(positionals[0]) {
                subject = .process(try WatchedProcess.find(pid: pid))
            } else {
                throw WatchError("expected a process id like 1234, found \"\(positionals[0])\"")
            }
        } catch {
            throw CommandError("watch: \(error)")
        }
        if case .cgroup(let location) = subject, (WatchedCgroup.members(of: location) ?? []).isEmpty {
            throw CommandError("watch: --cgroup \(cgroup ?? ""): the group \(location.directory) has no process; "
                + "start what it runs first")
        }

        var options = try makeOptions(
            subject: subject, profileArgument: profileArgument, duration: duration, interval: interval,
            every: every, requests: requests, baseURL: baseURL ?? port.map { "http://127.0.0.1:\($0)" })
        if profileArgument != nil {
            let file = options.profileFile ?? "profile"
            do {
                try WatchAddresses.fill(&options, port: port, baseURL: baseURL, file: file)
            } catch {
                throw CommandError("watch: \(error)")
            }
            // Body files and host names are checked now, as bad input, as soak run checks them.
            do {
                try RunPreflight.check(options.profile, profileFile: file, shownAs: file)
                options.bodyFiles = try RunPreflight.bodyFiles(options.profile, profileFile: file, shownAs: file)
            } catch {
                throw CommandError(error.description)
            }
        }
        if let accelerate {
            if let refusal = ProfileLimits.accelerate.refusal(of: accelerate) {
                let shown = DecimalText.format(accelerate, significant: 6)
                throw CommandError("watch: --accelerate: \(refusal.message(found: shown))")
            }
            options.accelerate = accelerate
        }
        options.outputParent = out
        options.commandLine = commandLine
        do {
            try RunFolder.prepareParent(out, probing: true)
        } catch {
            throw CommandError("watch: --out \(error)")
        }

        let clock = SystemRunClock()
        StopSignals.install(waking: clock)
        let runner: WatchRunner
        do {
            let progress: RunProgress = options.untilExit ? OpenEndedProgress() : ProgressDisplay()
            runner = try WatchRunner(options: options, clock: clock, progress: progress) { Output.err($0) }
        } catch {
            throw CommandError("watch: \(error is RunFolderError ? "--out " : "")\(error)")
        }
        Output.err("run folder \(runner.folder.path): watching \(subject.description)"
            + (options.untilExit ? " until it ends or soak is stopped (Ctrl-C judges what was seen)" : ""))
        let manifest = runner.run { StopSignals.received != nil }
        if let problem = runner.folderProblem {
            Output.err("soak: watch: \(problem)")
            return .failed
        }
        return try RunVerdictPrinter.conclude(folder: runner.folder, manifest: manifest, samples: runner.liveSamples)
    }

    /// The options from a profile (`--duration` overriding its own), or a profile made from the flags.
    private static func makeOptions(
        subject: WatchSubject, profileArgument: String?, duration: Duration?, interval: Duration?,
        every: Duration?, requests: [String], baseURL: String?
    ) throws(CommandError) -> WatchOptions {
        if let profileArgument {
            let catalog = ProfileCatalog.locate()
            do {
                let file = try catalog.resolve(profileArgument)
                var profile = try catalog.load(profileArgument)
                if let duration {
                    profile.scenario.duration = duration
                    try profile.validate(file: "\(file) with --duration \(DurationText.format(duration))")
                }
                var options = WatchOptions(subject: subject, profile: profile)
                options.profileFile = file
                return options
            } catch {
                throw CommandError(error.description)
            }
        }
        if !requests.isEmpty, baseURL == nil {
            throw CommandError("watch: --request needs --base-url URL or --port N to send it to")
        }
        var flags = WatchProfile.Flags()
        if let interval { flags.interval = interval }
        if let every { flags.every = every }
        flags.duration = duration
        flags.requests = requests
        flags.baseURL = baseURL
        let made: (profile: Profile, json: String)
        do {
            made = try WatchProfile.make(for: subject, flags: flags)
        } catch {
            throw CommandError(error.description)
        }
        var options = WatchOptions(subject: subject, profile: made.profile)
        options.profileJSON = made.json
        options.untilExit = duration == nil
        options.baseURL = baseURL
        return options
    }
}
