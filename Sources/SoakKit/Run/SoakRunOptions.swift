import Glibc

/// What `soak run` was asked to do.
public struct SoakRunOptions: Sendable {
    /// The profile, loaded and validated.
    public var profile: Profile
    /// The profile file, copied into the run folder so `soak report` can re-judge the run.
    public var profileFile: String
    /// Overrides the profile's clock scale.
    public var accelerate: Double?
    /// Overrides the scenario's simulated duration.
    public var duration: Duration?
    /// Parent folder for the run folder (default `reports`).
    public var outputParent = "reports"
    /// An existing, empty run folder to use instead of a new one under `outputParent`: the one a
    /// `soak run --detach` parent made and printed before starting this run.
    public var runFolder: String?
    /// The arguments `soak` got, for `run.json`.
    public var commandLine: [String] = []
    /// Path of the `tenantd` binary for tenantd targets.
    public var tenantdPath: String

    public init(profile: Profile, profileFile: String, tenantdPath: String) {
        self.profile = profile
        self.profileFile = profileFile
        self.tenantdPath = tenantdPath
    }

    /// The clock scale the run uses.
    public var effectiveAccelerate: Double { accelerate ?? profile.accelerate }

    /// The scenario with the duration override applied.
    public var effectiveScenario: Profile.Scenario {
        var scenario = profile.scenario
        if let duration { scenario.duration = duration }
        return scenario
    }
}

/// Finds the `tenantd` binary: `$LAZYSOAK_TENANTD`, else beside the running `soak`, else PATH.
public enum TenantdLocator {
    public static func locate() -> String {
        if let configured = ProcessEnvironment.value("LAZYSOAK_TENANTD"), !configured.isEmpty { return configured }
        if let executable = ProfileCatalog.currentExecutablePath() {
            let sibling = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/") + "/tenantd"
            if access(sibling, X_OK) == 0 { return sibling }
        }
        return "tenantd"
    }
}
