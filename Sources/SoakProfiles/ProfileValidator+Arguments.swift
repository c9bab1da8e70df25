/// `extraArguments`: flags passed to `tenantd` as they are, except those the harness sets itself.
///
/// A flag the harness owns, given again, would win or lose by position: `--time-scale 0` after
/// the harness's own `--time-scale` made tenantd refuse to start, and the run end CRASHED
/// (exit 3) for what is a mistake in the profile (exit 2).
extension ProfileValidator {
    /// tenantd's flags that come from the profile's fields or from the harness, and where.
    static let ownedNodeFlags: [String: String] = harnessFlags.merging([
        "--tenant-idle": "target.tenantd.tenantIdle", "--artifact-idle": "target.tenantd.artifactIdle",
        "--sweep-every": "target.tenantd.sweepEvery", "--eager": "target.tenantd.eager",
        "--no-ghost": "target.tenantd.noGhost", "--inject-leak": "target.tenantd.injectLeak",
        "--leak-bytes": "target.tenantd.leakBytes",
    ]) { harness, _ in harness }

    /// The fleet front's flags that come from the profile's fields or from the harness.
    static let ownedFrontFlags: [String: String] = harnessFlags.merging([
        "--nodes": "target.tenantd.fleet.nodes", "--min-nodes": "target.tenantd.fleet.minNodes",
        "--max-nodes": "target.tenantd.fleet.maxNodes", "--scale-window": "target.tenantd.fleet.scaleWindow",
        "--scale-on": "target.tenantd.fleet.scaleOn", "--scale-up-above": "target.tenantd.fleet.scaleUpAbove",
        "--scale-down-below": "target.tenantd.fleet.scaleDownBelow",
        "--inject-leak": "target.tenantd.fleet.injectLeak",
        "--": "the harness (it separates the front's flags from the nodes')",
    ]) { harness, _ in harness }

    /// The flags every tenantd process gets from the harness itself.
    private static let harnessFlags: [String: String] = [
        "--registry": "the run folder", "--listen": "the harness (a free loopback port)",
        "--time-scale": "accelerate or --accelerate", "--clock": "clock or --clock",
    ]

    /// Refuses each entry of `arguments` that is a flag in `owned` (also as `--flag=value`).
    mutating func checkExtraArguments(_ arguments: [String], at path: String, owned: [String: String]) {
        for (index, argument) in arguments.enumerated() {
            let flag = argument.hasPrefix("--") && argument != "--"
                ? String(argument.prefix { $0 != "=" }) : argument
            guard let setter = owned[flag] else { continue }
            report("\(path)[\(index)]", "expected flags the harness does not set itself; \(flag) is set by "
                + "\(setter), found \(ProfileJSON.quoted(argument))")
        }
    }
}
