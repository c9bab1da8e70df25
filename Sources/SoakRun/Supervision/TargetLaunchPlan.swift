import FoundationEssentials
import Glibc
import MiniHTTP
import SoakProfiles
import SoakUnits

/// Turns a profile's target into what to run: the program and arguments, how to know it is
/// ready, and where to send requests and read stats.
package struct TargetLaunchPlan: Sendable {
    package var launch: LaunchSpec
    package var readiness: Profile.Readiness
    package var readyTimeout: Duration
    /// Base URL for requests, once known; `tenantd` reports its port when ready.
    package var baseURL: String?
    /// The stats endpoint's path below the base URL (tenantd's `/_runtime/stats`).
    package var statsPath: String?
    /// The stats endpoint as a whole URL (a command target's `statsURL`, `{port}` filled in).
    package var statsURL: String?
    /// The Prometheus endpoint, `{port}` substituted; nil when the profile names none.
    package var metricsURL: String?
    /// Where the target serves the stepped-clock protocol, for a stepped run: a whole URL (a
    /// command target's `clockURL`) or a path below the base URL (tenantd's `/_runtime/clock`).
    package var clockURL: String?
    package var clockPath: String?
    /// A registry to seed before start (tenantd targets only).
    package var seed: (tenantd: String, arguments: [String])?

    /// Plans `target` for a run in `folder` at clock scale `accelerate`, or on a stepped clock.
    package static func make(
        for target: Profile.Target, folder: RunFolder, accelerate: Double, clock: ClockMode = .scaled,
        tenantdPath: String
    ) throws(SupervisorError) -> TargetLaunchPlan {
        switch target {
        case .tenantd(let tenantd):
            let clockArguments = clock == .stepped ? ["--clock", "stepped"] : ["--time-scale", timeScaleText(accelerate)]
            var runtime = [
                "--tenant-idle", DurationText.exact(tenantd.tenantIdle),
                "--artifact-idle", DurationText.exact(tenantd.artifactIdle),
                "--sweep-every", DurationText.exact(tenantd.sweepEvery),
            ]
            if !tenantd.eager.isEmpty { runtime += ["--eager", tenantd.eager] }
            if tenantd.noGhost { runtime.append("--no-ghost") }
            if let leak = tenantd.injectLeak { runtime += ["--inject-leak", leak, "--leak-bytes", String(tenantd.leakBytes)] }
            runtime += tenantd.extraArguments
            let front = ["--registry", folder.registry, "--listen", "127.0.0.1:0"] + clockArguments
            // A fleet's front takes the registry, address and clock; every node gets the runtime flags.
            let arguments = tenantd.fleet.map { ["fleet"] + front + fleetArguments($0) + ["--"] + runtime }
                ?? front + runtime
            var plan = TargetLaunchPlan(
                launch: LaunchSpec(
                    executable: tenantdPath, arguments: arguments, stdoutPath: folder.targetStdout,
                    stderrPath: folder.targetStderr),
                readiness: .stdoutLine("listening on "), readyTimeout: .seconds(30), baseURL: nil,
                // The front has no runtime of its own; its nodes' stats are per node.
                statsPath: tenantd.fleet == nil ? "/_runtime/stats" : nil)
            if clock == .stepped { plan.clockPath = "/_runtime/clock" }
            plan.seed = (tenantdPath, [
                "seed", "--tenants", String(tenantd.tenants), "--artifacts", String(tenantd.artifactsPerTenant),
                "--kind", tenantd.kind, "--payload-kb", String(tenantd.payloadKB), folder.registry,
            ])
            return plan
        case .command(let command):
            let port = command.argv.contains { $0.contains("{port}") } || (command.baseURL ?? "").contains("{port}")
                || (command.metricsURL ?? "").contains("{port}")
                ? try LoopbackPortPicker.pick() : 0
            func substitute(_ text: String) -> String {
                text.replacing("{port}", with: String(port))
                    .replacing("{run}", with: folder.path)
            }
            var arguments = command.argv.dropFirst().map(substitute)
            if clock == .scaled, let flag = command.timeScaleFlag { arguments += [flag, timeScaleText(accelerate)] }
            var launch = LaunchSpec(
                executable: substitute(command.argv[0]), arguments: arguments,
                stdoutPath: folder.targetStdout, stderrPath: folder.targetStderr)
            launch.environment = command.environment.mapValues(substitute)
            // How a program that serves both clocks knows which one this run wants.
            launch.environment["SOAK_CLOCK"] = clock.rawValue
            launch.workingDirectory = command.workingDirectory.map(substitute)
            let readiness: Profile.Readiness = switch command.ready {
            case .stdoutLine(let text): .stdoutLine(text)
            case .portFile(let file): .portFile(substitute(file))
            case .httpURL(let url): .httpURL(substitute(url))
            case .delay(let delay): .delay(delay)
            }
            var plan = TargetLaunchPlan(
                launch: launch, readiness: readiness, readyTimeout: command.readyTimeoutWall,
                baseURL: command.baseURL.map(substitute), statsURL: command.statsURL.map(substitute))
            plan.metricsURL = command.metricsURL.map(substitute)
            if clock == .stepped { plan.clockURL = command.clockURL.map(substitute) }
            return plan
        }
    }

    /// The clock scale as the target reads it back exactly: `7200`, `1.5`, `0.0000001`. The sample
    /// format rounds to six decimals, which once made `accelerate: 1e-7` into `--time-scale 0.0`
    /// (validation now keeps the scale at 1 or more; this keeps the flag honest whatever it gets).
    static func timeScaleText(_ scale: Double) -> String {
        if scale == scale.rounded(), scale.magnitude < 1e15 { return SampleRow.format(scale) }
        return DecimalText.format(scale, significant: 17)
    }

    /// `tenantd fleet`'s own flags for `fleet`; a setting left out leaves the front's default.
    static func fleetArguments(_ fleet: Profile.FleetSettings) -> [String] {
        var arguments = [
            "--min-nodes", String(fleet.minNodes), "--max-nodes", String(fleet.maxNodes),
            "--scale-window", DurationText.exact(fleet.scaleWindow),
        ]
        if let nodes = fleet.nodes { arguments += ["--nodes", String(nodes)] }
        if let kind = fleet.scaleOn { arguments += ["--scale-on", kind] }
        if let up = fleet.scaleUpAbove { arguments += ["--scale-up-above", DecimalText.format(up, decimals: 6)] }
        if let down = fleet.scaleDownBelow { arguments += ["--scale-down-below", DecimalText.format(down, decimals: 6)] }
        if let leak = fleet.injectLeak { arguments += ["--inject-leak", leak] }
        return arguments + fleet.extraArguments
    }
}
