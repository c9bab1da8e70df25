import SoakAnalysis
import SoakUnits

extension ProfileValidator {
    mutating func checkRequests() {
        let scenario = profile.scenario
        if scenario.kind == .sampleOnly {
            if !scenario.requests.isEmpty {
                report("scenario.requests", "expected no requests for kind sample-only, "
                    + "found \(scenario.requests.count)")
            }
            return
        }
        if scenario.requests.isEmpty {
            report("scenario.requests", "missing; expected a list of paths like [\"/t/t1/a1.service\"] "
                + "for kind \(scenario.kind.rawValue) (only sample-only runs without requests)")
            return
        }
        // The active tenants count is bounded (checkChurn), so the product cannot overflow.
        let activeTenants = scenario.kind == .manyTenants ? max(1, min(scenario.churn?.mostActive ?? 1, 10_000)) : 1
        let perCycle = scenario.requests.count * activeTenants
        if ProfileLimits.requestsPerCycle.refusal(of: perCycle) != nil {
            let found = scenario.kind == .manyTenants
                ? "\(scenario.requests.count) × \(scenario.churn?.peakTenants == nil ? "activeTenants" : "peakTenants") "
                    + "\(scenario.churn?.mostActive ?? 1) = \(perCycle)"
                : "\(perCycle)"
            report("scenario.requests",
                "requests per cycle " + ProfileLimits.requestsPerCycle.atMost.message(found: found))
            return
        }
        for (index, request) in scenario.requests.enumerated() {
            let path = "scenario.requests[\(index)]"
            if let problem = RequestPath.problem(in: request.path, placeholders: scenario.kind == .manyTenants) {
                report(path, problem)
            }
            checkRequestFields(request, path)
        }
    }

    mutating func checkChurn() {
        let scenario = profile.scenario
        guard let churn = scenario.churn else {
            if scenario.kind == .manyTenants {
                report("scenario.churn", "missing; expected an object with tenants, artifactsPerTenant, "
                    + "activeTenants and changeEvery for kind many-tenants")
            }
            return
        }
        if scenario.kind != .manyTenants {
            report("scenario.churn", "expected no churn for kind \(scenario.kind.rawValue) (churn drives only "
                + "many-tenants), found an object")
        }
        let base = "scenario.churn"
        require(churn.tenants, within: ProfileLimits.tenants, "\(base).tenants")
        require(churn.artifactsPerTenant, within: ProfileLimits.artifactsPerTenant, "\(base).artifactsPerTenant")
        require(churn.activeTenants, within: ProfileLimits.tenants, "\(base).activeTenants")
        if churn.activeTenants >= 1, churn.tenants >= 1 {
            require(churn.activeTenants <= churn.tenants, "\(base).activeTenants",
                expected: "at most scenario.churn.tenants (\(churn.tenants))", found: "\(churn.activeTenants)")
        }
        requirePositive(churn.changeEvery, "\(base).changeEvery")
        checkPeak(churn, base: base)
        if case .tenantd(let tenantd) = profile.target {
            // The churn picks from the seeded registry; it cannot ask for tenants that were never written.
            require(churn.tenants <= tenantd.tenants, "\(base).tenants",
                expected: "at most target.tenantd.tenants (\(tenantd.tenants))", found: "\(churn.tenants)")
            require(churn.artifactsPerTenant <= tenantd.artifactsPerTenant, "\(base).artifactsPerTenant",
                expected: "at most target.tenantd.artifactsPerTenant (\(tenantd.artifactsPerTenant))",
                found: "\(churn.artifactsPerTenant)")
        }
    }

    /// `peakTenants` and `peakEvery` come together, and describe a wave the cycles can see.
    private mutating func checkPeak(_ churn: Profile.Churn, base: String) {
        switch (churn.peakTenants, churn.peakEvery) {
        case (nil, nil):
            return
        case (let peak?, let every?):
            if require(peak, within: ProfileLimits.tenants, "\(base).peakTenants") {
                require(peak >= churn.activeTenants && peak <= churn.tenants, "\(base).peakTenants",
                    expected: "from activeTenants (\(churn.activeTenants)) to tenants (\(churn.tenants))", found: "\(peak)")
            }
            // Each half of the wave must hold at least one cycle, or the load never changes.
            if requirePositive(every, "\(base).peakEvery"), profile.scenario.interval > .zero {
                require(every >= profile.scenario.interval * 2, "\(base).peakEvery",
                    expected: "at least two scenario intervals (\(DurationText.format(profile.scenario.interval * 2)))",
                    found: DurationText.format(every))
            }
        default:
            report(churn.peakTenants == nil ? "\(base).peakTenants" : "\(base).peakEvery",
                "missing; peakTenants and peakEvery go together (the active set's size during the first half "
                + "of every peakEvery)")
        }
    }

    /// With tenantd's own settings we can tell up front when the scenario's integrity rule cannot
    /// hold: an artifact that is not idle long enough before the next request is never a ghost,
    /// and every cycle would fail integrity after the run had been paid for.
    mutating func checkIntegrityIsReachable() {
        // Without a positive interval the comparison means nothing; that problem is reported already.
        guard case .tenantd(let tenantd) = profile.target, profile.scenario.interval > .zero else { return }
        let scenario = profile.scenario
        let sweep = DurationText.format(tenantd.sweepEvery)
        let interval = DurationText.format(scenario.interval)
        switch scenario.kind {
        case .serviceGhost:
            if tenantd.noGhost {
                report("target.tenantd.noGhost", "expected false for kind service-ghost (without ghosts the "
                    + "service is never a ghost again), found true")
            } else if tenantd.artifactIdle + tenantd.sweepEvery >= scenario.interval {
                report("target.tenantd.artifactIdle", "expected artifactIdle + sweepEvery (\(sweep)) below "
                    + "scenario.interval (\(interval)) so the service is a ghost again before the next request, "
                    + "found \(DurationText.format(tenantd.artifactIdle))")
            }
        case .tenantUnload:
            if tenantd.tenantIdle + tenantd.sweepEvery >= scenario.interval {
                report("target.tenantd.tenantIdle", "expected tenantIdle + sweepEvery (\(sweep)) below "
                    + "scenario.interval (\(interval)) so the tenant is unloaded before the next request, "
                    + "found \(DurationText.format(tenantd.tenantIdle))")
            }
            if let eager = EagerList(tenantd.eager) {
                let pinned = scenario.requests.map(\.path).compactMap(RequestPath.tenant).filter(eager.includes)
                if let first = pinned.first {
                    report("target.tenantd.eager", "expected requested tenants to be lazy for kind tenant-unload "
                        + "(eager tenants never unload), found \(ProfileJSON.quoted(first)) loaded eagerly by "
                        + ProfileJSON.quoted(tenantd.eager))
                }
            }
        case .manyTenants, .plain, .sampleOnly:
            break
        }
    }

    mutating func checkSampling() {
        requirePositive(profile.sampling.every, "sampling.every")
        require(profile.sampling.minimumWallPeriod, within: ProfileLimits.minimumWallPeriod,
            "sampling.minimumWallPeriod")
    }

    mutating func checkCulprits() {
        for source in CulpritSource.allCases {
            guard let threshold = profile.culprits.thresholds[source] else { continue }
            let path = "culprits.\(source.rawValue)"
            let limit = CulpritSettings.unit(of: source) == .bytes ? ProfileLimits.byteAmount : ProfileLimits.countAmount
            for (name, value) in [("perCycle", threshold.perCycle), ("floor", threshold.floor)] {
                require(value >= 0, "\(path).\(name)", expected: "an amount of at least 0", found: Self.number(value))
                if value >= 0 { require(value, within: limit, "\(path).\(name)", found: Self.number) }
            }
        }
        require(profile.culprits.top, within: ProfileLimits.culpritTop, "culprits.top")
    }

    mutating func checkThresholds() {
        for metric in Metric.allCases {
            let amountLimit = metric.unit == .bytes ? ProfileLimits.byteAmount : ProfileLimits.countAmount
            if let threshold = profile.thresholds[metric] {
                let path = "thresholds.\(metric.rawValue)"
                require(threshold.perCycle >= 0, "\(path).perCycle", expected: "an amount of at least 0",
                    found: Self.number(threshold.perCycle))
                require(threshold.floor >= 0, "\(path).floor", expected: "an amount of at least 0",
                    found: Self.number(threshold.floor))
                // perHour becomes perCycle with the interval, so a large one can grow past the limit.
                if threshold.perCycle >= 0 {
                    require(threshold.perCycle, within: amountLimit, "\(path).perCycle", found: Self.number)
                }
                if threshold.floor >= 0 {
                    require(threshold.floor, within: amountLimit, "\(path).floor", found: Self.number)
                }
            }
            switch profile.tolerances[metric] {
            case .relative(let fraction):
                require(fraction >= 0 && fraction.isFinite, "tolerances.\(metric.rawValue)",
                    expected: "a percentage of at least 0%", found: Percentage.format(fraction))
            case .absolute(let amount):
                require(amount >= 0, "tolerances.\(metric.rawValue)", expected: "an amount of at least 0",
                    found: Self.number(amount))
                if amount >= 0 {
                    require(amount, within: amountLimit, "tolerances.\(metric.rawValue)", found: Self.number)
                }
            case nil:
                break
            }
        }
    }

    mutating func checkLimits() {
        if let memory = profile.limits.memoryBytes {
            require(memory, within: ProfileLimits.memory, "limits.memory", found: ByteSize.format)
        }
        require(profile.limits.teardownGraceWall, within: ProfileLimits.wallWait, "limits.teardownGrace")
        require(profile.limits.maxAccelerate, within: ProfileLimits.maxAccelerate, "limits.maxAccelerate",
            found: Self.number)
    }
}
