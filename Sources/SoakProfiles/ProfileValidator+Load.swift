import SoakUnits

extension ProfileValidator {
    /// `scenario.load`: numbers within their limits, requests by the scenario's own rules, a base
    /// URL to send them to, and no request that would break the scenario's integrity.
    mutating func checkLoad() {
        switch profile.scenario.load {
        case .command(let command):
            checkLoadCommand(command)
        case .requests(let load):
            checkLoadRequests(load)
        case nil:
            break
        }
    }

    private mutating func checkLoadCommand(_ command: Profile.LoadCommand) {
        let base = "scenario.load.command"
        if command.argv.first.map({ $0.isEmpty }) ?? true {
            report(base, "expected a program and its arguments like [\"wrk\", \"-c4\", \"{baseURL}/\"], "
                + (command.argv.isEmpty ? "found an empty list" : "found an empty program name"))
        }
        let texts = command.argv + command.environment.values
        // Both are read from the base URL the target is ready at (tenantd reports its port then).
        if texts.contains(where: { $0.contains("{baseURL}") || $0.contains("{port}") }), !hasBaseURL {
            report(base, "expected no {baseURL} or {port} because target.command has no baseURL to take them "
                + "from; set target.command.baseURL")
        }
        // A command's requests cannot be read ahead, but one naming the very path the scenario
        // waits to see unloaded would keep it loaded and fail integrity after the run was paid for.
        for (index, text) in command.argv.enumerated() {
            if let kept = keptLoaded(by: text, anywhere: true) {
                report("\(base)[\(index)]", "expected no request to \(kept), found \(ProfileJSON.quoted(text))")
            }
        }
    }

    private mutating func checkLoadRequests(_ load: Profile.LoadRequests) {
        let base = "scenario.load"
        require(load.connections, within: ProfileLimits.loadConnections, "\(base).connections")
        require(load.perSecond, within: ProfileLimits.loadPerSecond, "\(base).perSecond", found: Self.number)
        if !hasBaseURL {
            report(base, "expected target.command.baseURL, so the load has somewhere to go, found none")
        }
        guard require(load.requests.count, within: ProfileLimits.loadRequests, "\(base).requests") else { return }
        for (index, request) in load.requests.enumerated() {
            let path = "\(base).requests[\(index)]"
            if let problem = RequestPath.problem(in: request.path, placeholders: false) {
                report(path, problem)
            } else if let kept = keptLoaded(by: request.path, anywhere: false) {
                report(path, "expected no request to \(kept), found \(ProfileJSON.quoted(request.path))")
            }
            checkRequestFields(request, path)
        }
    }

    /// Whether the target has a base URL: tenantd always does; a command target when it names one.
    private var hasBaseURL: Bool {
        if case .command(let command) = profile.target { return command.baseURL != nil }
        return true
    }

    /// What `text` (a load's path, or with `anywhere` any text holding one) would keep loaded that
    /// the scenario needs unloaded, described for a message; nil when nothing.
    ///
    /// `service-ghost` needs its artifacts to turn back into ghosts, `tenant-unload` its tenants to
    /// unload; a load on either keeps them warm, so every cycle would fail integrity.
    private func keptLoaded(by text: String, anywhere: Bool) -> String? {
        let scenario = profile.scenario
        let requested = scenario.requests.map(\.path)
        switch scenario.kind {
        case .serviceGhost:
            for path in requested {
                let artifact = Self.artifactPrefix(path)
                if Self.mentions(text, artifact, anywhere: anywhere) {
                    return "\(artifact), which the scenario needs to find a ghost each cycle (kind service-ghost)"
                }
            }
        case .tenantUnload:
            for tenant in requested.compactMap(RequestPath.tenant) {
                if Self.mentions(text, "/t/\(tenant)", anywhere: anywhere) {
                    return "tenant \(tenant), which the scenario needs to find unloaded each cycle (kind tenant-unload)"
                }
            }
        case .manyTenants, .plain, .sampleOnly:
            break
        }
        return nil
    }

    /// `/t/<tenant>/<artifact>` of a path, without what follows.
    private static func artifactPrefix(_ path: String) -> String {
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return pathOnly.split(separator: "/", omittingEmptySubsequences: false).prefix(4).joined(separator: "/")
    }

    /// Whether `text` requests `prefix` or something below it (`/t/a` and `/t/a/x`, not `/t/ab`).
    private static func mentions(_ text: String, _ prefix: String, anywhere: Bool) -> Bool {
        var rest = Substring(text)
        while let range = rest.firstRange(of: prefix) {
            let before = rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let ends = after.first.map { "/?#\"' ".contains($0) } ?? true
            if ends, anywhere || before.isEmpty { return true }
            if !anywhere { return false }
            rest = after
        }
        return false
    }
}
