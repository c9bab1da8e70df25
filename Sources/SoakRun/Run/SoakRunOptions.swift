import Glibc
import PosixSupport
import SoakProfiles

/// What `soak run` was asked to do.
package struct SoakRunOptions: Sendable {
    /// The profile, loaded and validated.
    package var profile: Profile
    /// The profile file, copied into the run folder so `soak report` can re-judge the run.
    package var profileFile: String
    /// Overrides the profile's clock scale.
    package var accelerate: Double?
    /// Overrides the profile's clock.
    package var clock: ClockMode?
    /// Overrides the scenario's simulated duration.
    package var duration: Duration?
    /// Parent folder for the run folder (default `reports`).
    package var outputParent = "reports"
    /// An existing, empty run folder to use instead of a new one under `outputParent`: the one a
    /// `soak run --detach` parent made and printed before starting this run.
    package var runFolder: String?
    /// The arguments `soak` got, for `run.json`.
    package var commandLine: [String] = []
    /// Path of the `tenantd` binary for tenantd targets.
    package var tenantdPath: String

    package init(profile: Profile, profileFile: String, tenantdPath: String) {
        self.profile = profile
        self.profileFile = profileFile
        self.tenantdPath = tenantdPath
    }

    /// The clock scale the run uses.
    package var effectiveAccelerate: Double { accelerate ?? profile.accelerate }

    /// The clock the run uses.
    package var effectiveClock: ClockMode { clock ?? profile.clock }

    /// The scenario with the duration override applied.
    package var effectiveScenario: Profile.Scenario {
        var scenario = profile.scenario
        if let duration { scenario.duration = duration }
        return scenario
    }
}

/// Finds the `tenantd` binary: `$LAZYSOAK_TENANTD`, else beside the running `soak`, else PATH.
package enum TenantdLocator {
    package static func locate() -> String {
        if let configured = ProcessEnvironment.value("LAZYSOAK_TENANTD"), !configured.isEmpty { return configured }
        if let executable = ProfileCatalog.currentExecutablePath() {
            let sibling = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/") + "/tenantd"
            if FileSystem.isExecutable(sibling) { return sibling }
        }
        return "tenantd"
    }
}
