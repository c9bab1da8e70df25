/// The checks a profile must pass before anything starts, on the model rather than the JSON, so
/// profiles built in code and profiles changed by command-line overrides (`--accelerate`,
/// `--duration`) are checked by the same rules as files.
import SoakUnits

struct ProfileValidator {
    let profile: Profile
    let file: String
    /// Where a field path stands in the file, when the profile came from one.
    let position: (String) -> (line: Int, column: Int)?
    private(set) var issues: [ProfileError.Issue] = []

    init(profile: Profile, file: String, position: @escaping (String) -> (line: Int, column: Int)? = { _ in nil }) {
        self.profile = profile
        self.file = file
        self.position = position
    }

    /// Runs every check; the problems are in `issues`, in field order.
    mutating func run() {
        checkTop()
        checkTarget()
        checkScenario()
        checkChurn()
        checkIntegrityIsReachable()
        checkSampling()
        checkThresholds()
        checkLimits()
    }

    mutating func report(_ path: String, _ message: String) {
        let where_ = position(path)
        issues.append(ProfileError.Issue(
            file: file, path: path, message: message, line: where_?.line, column: where_?.column))
    }

    /// Reports `expected ..., found ...` unless `condition` holds.
    mutating func require(_ condition: Bool, _ path: String, expected: String, found: String) {
        if !condition { report(path, "expected \(expected), found \(found)") }
    }

    private mutating func checkTop() {
        let description = profile.description
        if description.allSatisfy(\.isWhitespace) {
            report("description", "expected one line saying what the profile checks, found an empty text")
        } else if description.contains(where: \.isNewline) {
            report("description", "expected one line, found a line break")
        }
        require(profile.accelerate > 0, "accelerate", expected: "a number above 0",
            found: Self.number(profile.accelerate))
        if profile.accelerate > 0, profile.limits.maxAccelerate > 0 {
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
        require(tenantd.tenants >= 1, "\(base).tenants", expected: "a count of at least 1", found: "\(tenantd.tenants)")
        require(tenantd.artifactsPerTenant >= 1, "\(base).artifactsPerTenant", expected: "a count of at least 1",
            found: "\(tenantd.artifactsPerTenant)")
        require(["service", "webapp"].contains(tenantd.kind), "\(base).kind", expected: "service or webapp",
            found: ProfileJSON.quoted(tenantd.kind))
        require(tenantd.payloadKB >= 0, "\(base).payloadKB", expected: "a size in KB of at least 0",
            found: "\(tenantd.payloadKB)")
        requirePositive(tenantd.tenantIdle, "\(base).tenantIdle")
        requirePositive(tenantd.artifactIdle, "\(base).artifactIdle")
        requirePositive(tenantd.sweepEvery, "\(base).sweepEvery")
        if let leak = tenantd.injectLeak {
            require(ProfileDecoder.leakKinds.contains(leak), "\(base).injectLeak",
                expected: "one of \(ProfileDecoder.leakKinds.joined(separator: ", ")) or null",
                found: ProfileJSON.quoted(leak))
        }
        require(tenantd.leakBytes >= 0, "\(base).leakBytes", expected: "a byte size of at least 0",
            found: "\(tenantd.leakBytes)")
        if EagerList(tenantd.eager) == nil {
            report("\(base).eager", "expected a comma-separated list of tenant names, * and !name "
                + "like \"*,!t7\", found \(ProfileJSON.quoted(tenantd.eager))")
        }
    }

    private mutating func checkCommand(_ command: Profile.CommandTarget) {
        let base = "target.command"
        if command.argv.first.map({ $0.isEmpty }) ?? true {
            report("\(base).argv", "expected a program and its arguments like [\"./prog\", \"--port\", \"{port}\"], "
                + (command.argv.isEmpty ? "found an empty list" : "found an empty program name"))
        }
        requirePositive(command.readyTimeoutWall, "\(base).readyTimeout")
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
        requirePositive(scenario.requestTimeoutWall, "scenario.requestTimeout")
        checkRequests()
    }

    mutating func requirePositive(_ duration: Duration, _ path: String) {
        require(duration > .zero, path, expected: "a duration above zero", found: DurationText.format(duration))
    }

    /// A number as a person reads it: `7200`, `0.5`, `-3`.
    static func number(_ value: Double) -> String {
        DecimalText.format(value, significant: 6)
    }
}
