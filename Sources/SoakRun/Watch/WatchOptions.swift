import SoakProfiles

/// What `soak watch` was asked to do, checked: the subject, the profile it judges by (a file, or
/// one made from the flags) and the URLs its requests and metric sources use.
package struct WatchOptions: Sendable {
    package var subject: WatchSubject
    package var profile: Profile
    /// The profile file given with `--profile`, copied into the run folder; nil when soak made
    /// the profile from flags (see `profileJSON`).
    package var profileFile: String?
    /// The profile soak made from flags, written to the run folder's `profile.json` so
    /// `soak report` judges the folder by the same rules; nil with `--profile`.
    package var profileJSON: String?
    /// The target's clock scale: soak cannot set a running process's clock, so this says how fast
    /// it already runs (tenantd started with `--time-scale N`). 1 unless `--accelerate` says.
    package var accelerate: Double = 1
    /// Whether the watch ends only when the subject goes or soak is stopped (no `--duration`
    /// and no profile).
    package var untilExit = false
    /// Where requests go, `{port}` filled in; nil when the scenario sends none.
    package var baseURL: String?
    /// A `/_runtime/stats`-shaped JSON endpoint; nil when none.
    package var statsURL: String?
    /// The Prometheus endpoint the profile's `metrics` read; nil when none.
    package var metricsURL: String?
    /// The bytes of the scenario's `bodyFile`s, read before the watch starts (`RunPreflight`).
    package var bodyFiles: [String: [UInt8]] = [:]
    /// Parent folder for the run folder.
    package var outputParent = "reports"
    /// The arguments `soak` got, for `run.json`.
    package var commandLine: [String] = []

    package init(subject: WatchSubject, profile: Profile) {
        self.subject = subject
        self.profile = profile
    }

    /// The profile as `SoakRunOptions` carries it, for the parts of a run a watch shares
    /// (the live monitor).
    var runOptions: SoakRunOptions {
        var options = SoakRunOptions(profile: profile, profileFile: profileFile ?? "", tenantdPath: "")
        options.accelerate = accelerate
        return options
    }
}
