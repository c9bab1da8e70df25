import SoakAnalysis

extension ProfileDecoder {
    static let topLevelKeys = [
        "description", "accelerate", "clock", "target", "scenario", "sampling", "thresholds", "alpha", "tolerances",
        "limits", "culprits",
    ]
    static let tenantdKeys = [
        "tenants", "artifactsPerTenant", "kind", "payloadKB", "tenantIdle", "artifactIdle", "sweepEvery",
        "eager", "noGhost", "injectLeak", "leakBytes", "extraArguments", "fleet",
    ]
    static let fleetKeys = [
        "nodes", "minNodes", "maxNodes", "scaleWindow", "scaleOn", "scaleUpAbove", "scaleDownBelow", "injectLeak",
        "extraArguments",
    ]
    static let commandKeys = [
        "argv", "workingDirectory", "environment", "ready", "readyTimeout", "baseURL", "timeScaleFlag",
        "statsURL", "metricsURL", "metrics", "jvm", "heap", "clockURL",
    ]
    static let readinessKeys = ["stdoutLine", "portFile", "httpURL", "delay"]

    /// The whole profile; nil when any structural problem was found (all of them are in `issues`).
    func decodeProfile(_ root: ProfileJSON, name: String) -> Profile? {
        let rootField = ProfileField(value: root, path: "")
        guard case .object = root.kind else {
            // The whole file is wrong; a position would add nothing.
            reportWholeFile("expected a JSON object with fields \(Self.topLevelKeys.joined(separator: ", ")), "
                + "found \(root.foundText)")
            return nil
        }
        guard let top = object(rootField, allowed: Self.topLevelKeys) else { return nil }

        let description = required(top, "description", expected: "one line saying what the profile checks")
            .flatMap { string($0) }
        let target = required(top, "target", expected: "an object with tenantd or command").flatMap(decodeTarget)
        declaredMetrics = target.map { DeclaredColumns.metrics(of: $0) + ProcessColumns.metrics(of: $0) } ?? []
        let scenario = required(top, "scenario", expected: "an object with kind, interval and duration")
            .flatMap(decodeScenario)
        let accelerate = top["accelerate"].flatMap { number($0, expected: "a number like 7200") }
        let clock = top["clock"].flatMap(decodeClock)
        let sampling = top["sampling"].flatMap(decodeSampling)
        let thresholds = top["thresholds"].flatMap { decodeThresholds($0, interval: scenario?.interval) }
        let tolerances = top["tolerances"].flatMap(decodeTolerances)
        let limits = top["limits"].flatMap(decodeLimits)
        let culprits = top["culprits"].flatMap(decodeCulprits)
        let alpha = top["alpha"].flatMap { field -> Double? in
            guard let value = number(field, expected: "a significance level like 0.01") else { return nil }
            guard value > 0, value < 0.5 else {
                mismatch(field, expected: "a significance level between 0 and 0.5, like 0.01")
                return nil
            }
            return value
        }

        guard !foundProblems, let description, let target, let scenario else { return nil }
        var profile = Profile(name: name, description: description, target: target, scenario: scenario)
        if let accelerate { profile.accelerate = accelerate }
        if let clock { profile.clock = clock }
        if let sampling { profile.sampling = sampling }
        if let thresholds { profile.thresholds = thresholds }
        if let tolerances { profile.tolerances = tolerances }
        if let limits { profile.limits = limits }
        if let alpha { profile.alpha = alpha }
        if let culprits { profile.culprits = culprits }
        return profile
    }

    private func decodeTarget(_ field: ProfileField) -> Profile.Target? {
        guard let target = object(field, allowed: ["tenantd", "command"],
            expected: "an object with tenantd or command")
        else { return nil }
        switch (target.has("tenantd"), target.has("command")) {
        case (true, true):
            report(field.path, "expected exactly one of tenantd, command, found both", at: field.value.offset)
            return nil
        case (false, false):
            report(field.path, "expected exactly one of tenantd, command, found neither", at: field.value.offset)
            return nil
        case (true, false):
            // `"tenantd": {}` or `null` both mean tenantd with every default.
            guard let tenantd = target["tenantd"] else { return .tenantd(Profile.TenantdTarget()) }
            return decodeTenantd(tenantd).map { .tenantd($0) }
        case (false, true):
            guard let command = required(target, "command", expected: "an object with argv and ready") else {
                return nil
            }
            return decodeCommand(command).map { .command($0) }
        }
    }

    private func decodeTenantd(_ field: ProfileField) -> Profile.TenantdTarget? {
        guard let fields = object(field, allowed: Self.tenantdKeys) else { return nil }
        var tenantd = Profile.TenantdTarget()
        if let value = fields["tenants"].flatMap({ count($0, limit: ProfileLimits.tenants, example: "1") }) {
            tenantd.tenants = value
        }
        if let value = fields["artifactsPerTenant"]
            .flatMap({ count($0, limit: ProfileLimits.artifactsPerTenant, example: "1") })
        {
            tenantd.artifactsPerTenant = value
        }
        if let value = fields["kind"].flatMap({ string($0, expected: "service or webapp") }) { tenantd.kind = value }
        if let value = fields["payloadKB"].flatMap({ count($0, limit: ProfileLimits.payloadKB, example: "64") }) {
            tenantd.payloadKB = value
        }
        if let value = fields["tenantIdle"].flatMap({ duration($0, example: "30m") }) { tenantd.tenantIdle = value }
        if let value = fields["artifactIdle"].flatMap({ duration($0, example: "1m") }) {
            tenantd.artifactIdle = value
        }
        if let value = fields["sweepEvery"].flatMap({ duration($0, example: "10s") }) { tenantd.sweepEvery = value }
        if let value = fields["eager"].flatMap({ string($0, expected: "a tenant list like \"*,!t7\"") }) {
            tenantd.eager = value
        }
        if let value = fields["noGhost"].flatMap(bool) { tenantd.noGhost = value }
        if let field = fields["injectLeak"] {
            tenantd.injectLeak = string(field, expected: "one of \(Self.leakKinds.joined(separator: ", ")) or null")
        }
        if let value = fields["leakBytes"]
            .flatMap({ wholeBytes($0, limit: ProfileLimits.leakBytes, example: "1KiB") })
        {
            tenantd.leakBytes = value
        }
        if let value = fields["extraArguments"].flatMap({ strings($0) }) { tenantd.extraArguments = value }
        if let field = fields["fleet"] { tenantd.fleet = decodeFleet(field) }
        return tenantd
    }

    private func decodeFleet(_ field: ProfileField) -> Profile.FleetSettings? {
        guard let fields = object(field, allowed: Self.fleetKeys) else { return nil }
        var fleet = Profile.FleetSettings()
        fleet.nodes = fields["nodes"].flatMap { count($0, limit: ProfileLimits.fleetNodes, example: "2") }
        if let value = fields["minNodes"].flatMap({ count($0, limit: ProfileLimits.fleetNodes, example: "1") }) {
            fleet.minNodes = value
        }
        if let value = fields["maxNodes"].flatMap({ count($0, limit: ProfileLimits.fleetNodes, example: "4") }) {
            fleet.maxNodes = value
        }
        if let value = fields["scaleWindow"].flatMap({ duration($0, example: "5m") }) { fleet.scaleWindow = value }
        fleet.scaleOn = fields["scaleOn"].flatMap {
            string($0, expected: Profile.FleetSettings.scaleOnKinds.joined(separator: " or "))
        }
        fleet.scaleUpAbove = fields["scaleUpAbove"].flatMap { number($0, expected: "a load per node like 40") }
        fleet.scaleDownBelow = fields["scaleDownBelow"].flatMap { number($0, expected: "a load per node like 10") }
        if let field = fields["injectLeak"] {
            fleet.injectLeak = string(field, expected: "departed-nodes or null")
        }
        if let value = fields["extraArguments"].flatMap({ strings($0) }) { fleet.extraArguments = value }
        return fleet
    }

    static let leakKinds = ["retain-cycle", "global-cache", "fd", "thread"]

    private func decodeCommand(_ field: ProfileField) -> Profile.CommandTarget? {
        guard let fields = object(field, allowed: Self.commandKeys) else { return nil }
        let argv = required(fields, "argv", expected: "a list like [\"./prog\", \"--port\", \"{port}\"]")
            .flatMap { strings($0) }
        let readyExpected = "an object with one of \(Self.readinessKeys.joined(separator: ", "))"
        let ready = required(fields, "ready", expected: readyExpected)
            .flatMap(decodeReadiness)
        let workingDirectory = fields["workingDirectory"].flatMap { string($0) }
        let environment = fields["environment"].flatMap(stringMap)
        let readyTimeout = fields["readyTimeout"].flatMap { duration($0, example: "30s") }
        let baseURL = fields["baseURL"].flatMap { string($0, expected: "a URL like \"http://127.0.0.1:{port}\"") }
        let timeScaleFlag = fields["timeScaleFlag"].flatMap { string($0, expected: "a flag like \"--time-scale\"") }
        let statsURL = fields["statsURL"].flatMap { string($0, expected: "a URL or null") }
        let clockURL = fields["clockURL"].flatMap {
            string($0, expected: "a URL like \"http://127.0.0.1:{port}/_runtime/clock\"")
        }
        guard let argv, let ready else { return nil }
        var command = Profile.CommandTarget(argv: argv, ready: ready)
        command.workingDirectory = workingDirectory
        if let environment { command.environment = environment }
        if let readyTimeout { command.readyTimeoutWall = readyTimeout }
        command.baseURL = baseURL
        command.timeScaleFlag = timeScaleFlag
        command.statsURL = statsURL
        command.clockURL = clockURL
        decodeSources(fields, into: &command)
        return command
    }

    private func decodeReadiness(_ field: ProfileField) -> Profile.Readiness? {
        let expected = "an object with exactly one of \(Self.readinessKeys.joined(separator: ", "))"
        guard let fields = object(field, allowed: Self.readinessKeys, expected: expected) else { return nil }
        let given = Self.readinessKeys.filter { fields.has($0) }
        guard given.count == 1, let key = given.first else {
            let found = given.isEmpty ? "none" : given.joined(separator: " and ")
            report(field.path, "expected exactly one of \(Self.readinessKeys.joined(separator: ", ")), found \(found)",
                at: field.value.offset)
            return nil
        }
        guard let value = required(fields, key, expected: key == "delay" ? "a duration like 2s" : "text") else {
            return nil
        }
        switch key {
        case "stdoutLine":
            return string(value, expected: "the text of a stdout line like \"listening on\"").map { .stdoutLine($0) }
        case "portFile":
            return string(value, expected: "a file path like \"port.txt\"").map { .portFile($0) }
        case "httpURL":
            return string(value, expected: "a URL like \"http://127.0.0.1:{port}/health\"").map { .httpURL($0) }
        default: return duration(value, example: "2s").map { .delay($0) }
        }
    }
}
