/// The checks a profile must pass before anything starts, on the model rather than the JSON, so
/// profiles built in code and profiles changed by command-line overrides (`--accelerate`,
/// `--duration`) are checked by the same rules as files.
import SoakUnits

struct ProfileValidator {
    let profile: Profile
    let file: String
    /// Where a field path stands in the file (a byte offset), when the profile came from one.
    let offset: (String) -> Int?
    private(set) var problems: ProfileIssues

    init(profile: Profile, file: String, offset: @escaping (String) -> Int? = { _ in nil }) {
        self.profile = profile
        self.file = file
        self.offset = offset
        problems = ProfileIssues(file: file)
    }

    /// The problems found, positioned in `bytes` (the file the profile came from) when given.
    func issues(in bytes: [UInt8]? = nil) -> [ProfileError.Issue] { problems.resolved(in: bytes) }

    /// Runs every check; the problems are in `issues`, in field order.
    mutating func run() {
        checkTop()
        checkTarget()
        checkScenario()
        checkChurn()
        checkLoad()
        checkIntegrityIsReachable()
        checkSampling()
        checkThresholds()
        checkCulprits()
        checkLimits()
    }

    mutating func report(_ path: String, _ message: String) {
        problems.add(path, message, at: offset(path))
    }

    /// Reports `expected ..., found ...` unless `condition` holds.
    mutating func require(_ condition: Bool, _ path: String, expected: String, found: String) {
        if !condition { report(path, "expected \(expected), found \(found)") }
    }

    /// Reports `at most 10000, found 100000` when `value` breaks `limit`; true when it holds.
    @discardableResult
    mutating func require<Value>(_ value: Value, within limit: StatedLimit<Value>, _ path: String,
        found: (Value) -> String) -> Bool
    {
        guard let refusal = limit.refusal(of: value) else { return true }
        report(path, refusal.message(found: found(value)))
        return false
    }

    /// `require(_:within:_:found:)` for counts, shown as written.
    @discardableResult
    mutating func require(_ value: Int, within limit: StatedLimit<Int>, _ path: String) -> Bool {
        require(value, within: limit, path, found: { String($0) })
    }

    /// `require(_:within:_:found:)` for durations.
    @discardableResult
    mutating func require(_ value: Duration, within limit: StatedLimit<Duration>, _ path: String) -> Bool {
        require(value, within: limit, path, found: { DurationText.format($0) })
    }

    private mutating func checkTop() {
        let description = profile.description
        if description.allSatisfy(\.isWhitespace) {
            report("description", "expected one line saying what the profile checks, found an empty text")
        } else if description.contains(where: \.isNewline) {
            report("description", "expected one line, found a line break")
        }
        let accelerateHolds = require(profile.accelerate, within: ProfileLimits.accelerate, "accelerate",
            found: Self.number)
        if accelerateHolds, ProfileLimits.maxAccelerate.refusal(of: profile.limits.maxAccelerate) == nil {
            require(profile.accelerate <= profile.limits.maxAccelerate, "accelerate",
                expected: "at most limits.maxAccelerate (\(Self.number(profile.limits.maxAccelerate)))",
                found: Self.number(profile.accelerate))
        }
    }

    private mutating func checkTarget() {
        switch profile.target {
        case .tenantd(let tenantd): checkTenantd(tenantd)
        case .command(let command): checkCommand(command)
        }
    }

    private mutating func checkTenantd(_ tenantd: Profile.TenantdTarget) {
        let base = "target.tenantd"
        let tenantsHold = require(tenantd.tenants, within: ProfileLimits.tenants, "\(base).tenants")
        let artifactsHold = require(tenantd.artifactsPerTenant, within: ProfileLimits.artifactsPerTenant,
            "\(base).artifactsPerTenant")
        if tenantsHold, artifactsHold {
            // Both factors are within their bounds, so the product cannot overflow.
            let seeded = tenantd.tenants * tenantd.artifactsPerTenant
            if ProfileLimits.seededArtifacts.refusal(of: seeded) != nil {
                report("\(base).artifactsPerTenant", "tenants × artifactsPerTenant (the artifacts seeded before the "
                    + "run) " + ProfileLimits.seededArtifacts.atMost.message(
                        found: "\(tenantd.tenants) × \(tenantd.artifactsPerTenant) = \(seeded)"))
            }
        }
        require(["service", "webapp"].contains(tenantd.kind), "\(base).kind", expected: "service or webapp",
            found: ProfileJSON.quoted(tenantd.kind))
        require(tenantd.payloadKB, within: ProfileLimits.payloadKB, "\(base).payloadKB")
        require(tenantd.tenantIdle, within: ProfileLimits.runtimeIdle, "\(base).tenantIdle")
        require(tenantd.artifactIdle, within: ProfileLimits.runtimeIdle, "\(base).artifactIdle")
        require(tenantd.sweepEvery, within: ProfileLimits.runtimeIdle, "\(base).sweepEvery")
        if let leak = tenantd.injectLeak {
            require(ProfileDecoder.leakKinds.contains(leak), "\(base).injectLeak",
                expected: "one of \(ProfileDecoder.leakKinds.joined(separator: ", ")) or null",
                found: ProfileJSON.quoted(leak))
        }
        require(tenantd.leakBytes, within: ProfileLimits.leakBytes, "\(base).leakBytes", found: ByteSize.format)
        if EagerList(tenantd.eager) == nil {
            report("\(base).eager", "expected a comma-separated list of tenant names, * and !name "
                + "like \"*,!t7\", found \(ProfileJSON.quoted(tenantd.eager))")
        }
        checkExtraArguments(tenantd.extraArguments, at: "\(base).extraArguments", owned: Self.ownedNodeFlags)
        if let fleet = tenantd.fleet { checkFleet(fleet) }
    }

    private mutating func checkCommand(_ command: Profile.CommandTarget) {
        let base = "target.command"
        if command.argv.first.map({ $0.isEmpty }) ?? true {
            report("\(base).argv", "expected a program and its arguments like [\"./prog\", \"--port\", \"{port}\"], "
                + (command.argv.isEmpty ? "found an empty list" : "found an empty program name"))
        }
        if requirePositive(command.readyTimeoutWall, "\(base).readyTimeout") {
            require(command.readyTimeoutWall, within: ProfileLimits.wallWait, "\(base).readyTimeout")
        }
        if case .delay(let delay) = command.ready {
            require(delay, within: ProfileLimits.wallWait, "\(base).ready.delay")
        }
        checkTextForTheSystem(command)
        if command.baseURL == nil, !profile.scenario.requests.isEmpty {
            report("\(base).baseURL", "missing; expected a URL like \"http://127.0.0.1:{port}\" because "
                + "scenario.requests is not empty")
        }
        if let url = command.baseURL {
            checkURL(url, "\(base).baseURL", role: .base)
            // The harness picks the port when the run starts; a target told nowhere would listen
            // elsewhere and every request would be refused.
            let told = command.argv.contains { $0.contains("{port}") }
                || command.environment.values.contains { $0.contains("{port}") }
            if url.contains("{port}"), !told, !command.argv.isEmpty {
                report("\(base).baseURL", "expected {port} also in argv or environment, so the target listens "
                    + "where requests go, found it only in baseURL")
            }
        }
        if let url = command.statsURL { checkURL(url, "\(base).statsURL", role: .endpoint) }
        if let url = command.clockURL { checkURL(url, "\(base).clockURL", role: .base) }
        if profile.clock == .stepped, command.clockURL == nil {
            report("clock", "\"stepped\" needs \(base).clockURL, where the program answers the stepped-clock "
                + "protocol (README, \"The stepped clock protocol\"); this target declares none, so only "
                + "\"scaled\" can run it")
        }
        if case .httpURL(let url) = command.ready { checkURL(url, "\(base).ready.httpURL", role: .endpoint) }
    }

    /// Reports a URL the harness could not use: not http, no port, a bad host or path.
    private mutating func checkURL(_ url: String, _ path: String, role: HTTPURL.Role) {
        do {
            _ = try HTTPURL.parse(url, role: role, portPlaceholder: true)
        } catch {
            report(path, error.description)
        }
    }

    private mutating func checkScenario() {
        let scenario = profile.scenario
        requirePositive(scenario.interval, "scenario.interval")
        if scenario.interval > .zero {
            require(scenario.duration >= scenario.interval, "scenario.duration",
                expected: "at least scenario.interval (\(DurationText.format(scenario.interval)))",
                found: DurationText.format(scenario.duration))
            if require(scenario.duration, within: ProfileLimits.scenarioDuration, "scenario.duration"),
                scenario.cycles > ProfileLimits.cycles.range.upperBound
            {
                report("scenario.duration", "cycles (duration ÷ interval) "
                    + ProfileLimits.cycles.atMost.message(found: "\(DurationText.format(scenario.duration)) ÷ "
                        + "\(DurationText.format(scenario.interval)) = \(scenario.cycles)"))
            }
        }
        switch scenario.warmup {
        case .fraction(let fraction):
            require(fraction >= 0 && fraction < 1, "scenario.warmup",
                expected: "a percentage below 100% of the duration", found: Percentage.format(fraction))
        case .duration(let warmup):
            require(warmup < scenario.duration, "scenario.warmup",
                expected: "less than scenario.duration (\(DurationText.format(scenario.duration)))",
                found: DurationText.format(warmup))
        }
        if requirePositive(scenario.requestTimeoutWall, "scenario.requestTimeout") {
            require(scenario.requestTimeoutWall, within: ProfileLimits.wallWait, "scenario.requestTimeout")
        }
        checkRequests()
    }

    /// Text handed to the operating system (arguments, environment, paths) is cut at a NUL byte,
    /// so a program would silently get something else than the profile says.
    private mutating func checkTextForTheSystem(_ command: Profile.CommandTarget) {
        let base = "target.command"
        var texts = command.argv.enumerated().map { ("\(base).argv[\($0.offset)]", $0.element) }
        texts += command.workingDirectory.map { [("\(base).workingDirectory", $0)] } ?? []
        if case .portFile(let file) = command.ready { texts.append(("\(base).ready.portFile", file)) }
        for (name, value) in command.environment.sorted(by: { $0.key < $1.key }) {
            texts.append(("\(base).environment.\(name)", value))
            if name.isEmpty || name.contains("=") || name.contains("\0") {
                report("\(base).environment", "expected variable names without \"=\" like LOG_LEVEL, found "
                    + ProfileJSON.quoted(name))
            }
        }
        for (path, text) in texts where text.contains("\0") {
            report(path, "expected text without NUL characters (\\u0000), found \(ProfileJSON.quoted(text))")
        }
    }

    @discardableResult
    mutating func requirePositive(_ duration: Duration, _ path: String) -> Bool {
        require(duration > .zero, path, expected: "a duration above zero", found: DurationText.format(duration))
        return duration > .zero
    }

    /// A number as a person reads it: `7200`, `0.5`, `-3`.
    static func number(_ value: Double) -> String {
        // Positional digits of 1e300 would fill a screen.
        value.magnitude >= 1e15 ? "\(value)" : DecimalText.format(value, significant: 6)
    }
}
