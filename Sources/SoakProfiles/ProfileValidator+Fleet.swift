/// `target.tenantd.fleet`: node counts, the scale rule and its thresholds, the front's flags.
extension ProfileValidator {
    mutating func checkFleet(_ fleet: Profile.FleetSettings) {
        let base = "target.tenantd.fleet"
        let minHolds = require(fleet.minNodes, within: ProfileLimits.fleetNodes, "\(base).minNodes")
        let maxHolds = require(fleet.maxNodes, within: ProfileLimits.fleetNodes, "\(base).maxNodes")
        if minHolds, maxHolds, fleet.minNodes > fleet.maxNodes {
            report("\(base).maxNodes", "expected at least minNodes (\(fleet.minNodes)), found \(fleet.maxNodes)")
        }
        if let nodes = fleet.nodes, require(nodes, within: ProfileLimits.fleetNodes, "\(base).nodes"),
           !(fleet.minNodes...max(fleet.minNodes, fleet.maxNodes)).contains(nodes) {
            report("\(base).nodes", "expected a count from minNodes to maxNodes (\(fleet.minNodes)…\(fleet.maxNodes)), "
                + "found \(nodes)")
        }
        require(fleet.scaleWindow, within: ProfileLimits.runtimeIdle, "\(base).scaleWindow")
        if let kind = fleet.scaleOn {
            require(Profile.FleetSettings.scaleOnKinds.contains(kind), "\(base).scaleOn",
                expected: Profile.FleetSettings.scaleOnKinds.joined(separator: " or "), found: ProfileJSON.quoted(kind))
        }
        let (up, down) = fleet.effectiveThresholds
        if !(down >= 0 && up > down) {
            let said = (fleet.scaleUpAbove == nil ? " (the front's default)" : "",
                        fleet.scaleDownBelow == nil ? " (the front's default)" : "")
            report("\(base).scaleDownBelow", "expected 0 ≤ scaleDownBelow < scaleUpAbove, found \(down)\(said.1) "
                + "and \(up)\(said.0)")
        }
        if let leak = fleet.injectLeak {
            require(Profile.FleetSettings.leakKinds.contains(leak), "\(base).injectLeak",
                expected: "departed-nodes or null", found: ProfileJSON.quoted(leak))
        }
        checkExtraArguments(fleet.extraArguments, at: "\(base).extraArguments", owned: Self.ownedFrontFlags)
        if profile.clock == .stepped {
            report("clock", "expected \"scaled\" for a fleet target: tenantd fleet has no stepped clock, found \"stepped\"")
        }
    }
}
