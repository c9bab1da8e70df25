import SoakAnalysis
import SoakUnits

extension ProfileDecoder {
    /// `clock`: `"scaled"` or `"stepped"`.
    func decodeClock(_ field: ProfileField) -> ClockMode? {
        let expected = "\"scaled\" or \"stepped\""
        guard let text = string(field, expected: expected) else { return nil }
        guard let mode = ClockMode(rawValue: text) else {
            mismatch(field, expected: expected)
            return nil
        }
        return mode
    }

    static let scenarioKeys = ["kind", "requests", "interval", "duration", "warmup", "requestTimeout", "churn", "load"]
    static let churnKeys = [
        "tenants", "artifactsPerTenant", "activeTenants", "changeEvery", "seed", "peakTenants", "peakEvery",
    ]
    static let samplingKeys = ["every", "minimumWallPeriod", "troughs", "reads"]
    static let readsKeys = ["periodic", "trough", "smapsRollupEvery"]
    static let thresholdKeys = ["perCycle", "perHour", "floor"]
    static let limitKeys = ["memory", "teardownGrace", "maxAccelerate"]

    func decodeScenario(_ field: ProfileField) -> Profile.Scenario? {
        guard let fields = object(field, allowed: Self.scenarioKeys,
            expected: "an object with kind, interval and duration")
        else { return nil }
        let kinds = Profile.ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")
        let kind = required(fields, "kind", expected: "one of \(kinds)").flatMap(decodeKind)
        let requests = fields["requests"].flatMap(decodeRequests)
        let interval = required(fields, "interval", expected: "a duration like 3m").flatMap { self.duration($0) }
        let length = required(fields, "duration", expected: "a duration like 8d")
            .flatMap { self.duration($0, example: "8d") }
        let warmup = fields["warmup"].flatMap(decodeWarmup)
        let requestTimeout = fields["requestTimeout"].flatMap { self.duration($0, example: "5s") }
        let churn = fields["churn"].flatMap(decodeChurn)
        let load = fields["load"].flatMap(decodeLoad)

        guard let kind, let interval, let length else { return nil }
        var scenario = Profile.Scenario(kind: kind, requests: requests ?? [], interval: interval, duration: length)
        if let warmup { scenario.warmup = warmup }
        if let requestTimeout { scenario.requestTimeoutWall = requestTimeout }
        scenario.churn = churn
        scenario.load = load
        return scenario
    }

    private func decodeKind(_ field: ProfileField) -> Profile.ScenarioKind? {
        let kinds = Profile.ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")
        if case .string(let text) = field.value.kind, let kind = Profile.ScenarioKind(rawValue: text) { return kind }
        mismatch(field, expected: "one of \(kinds)")
        return nil
    }

    private func decodeWarmup(_ field: ProfileField) -> Profile.Warmup? {
        if case .string(let text) = field.value.kind {
            if text.hasSuffix("%"), let fraction = Percentage.parse(text) { return .fraction(fraction) }
            if let duration = DurationText.parse(text) { return .duration(duration) }
        }
        mismatch(field, expected: "a percentage of the duration like 10% or a duration like 12h")
        return nil
    }

    private func decodeChurn(_ field: ProfileField) -> Profile.Churn? {
        guard let fields = object(field, allowed: Self.churnKeys) else { return nil }
        let tenants = required(fields, "tenants", expected: "a whole number like 300")
            .flatMap { count($0, limit: ProfileLimits.tenants, example: "300") }
        let artifacts = required(fields, "artifactsPerTenant", expected: "a whole number like 5")
            .flatMap { count($0, limit: ProfileLimits.artifactsPerTenant, example: "5") }
        let active = required(fields, "activeTenants", expected: "a whole number like 20")
            .flatMap { count($0, limit: ProfileLimits.tenants, example: "20") }
        let changeEvery = required(fields, "changeEvery", expected: "a duration like 1h")
            .flatMap { duration($0, example: "1h") }
        // A fixed default seed keeps runs reproducible when the profile does not care.
        let seed = fields["seed"].flatMap { unsigned64($0) }
        let peakTenants = fields["peakTenants"].flatMap { count($0, limit: ProfileLimits.tenants, example: "400") }
        let peakEvery = fields["peakEvery"].flatMap { duration($0, example: "1h") }
        guard let tenants, let artifacts, let active, let changeEvery else { return nil }
        var churn = Profile.Churn(tenants: tenants, artifactsPerTenant: artifacts, activeTenants: active,
            changeEvery: changeEvery, seed: seed ?? 42)
        churn.peakTenants = peakTenants
        churn.peakEvery = peakEvery
        return churn
    }

    func decodeSampling(_ field: ProfileField) -> Profile.Sampling? {
        guard let fields = object(field, allowed: Self.samplingKeys) else { return nil }
        var sampling = Profile.Sampling()
        if let value = fields["every"].flatMap({ duration($0, example: "30s") }) { sampling.every = value }
        if let value = fields["minimumWallPeriod"].flatMap({ duration($0, example: "20ms") }) {
            sampling.minimumWallPeriod = value
        }
        if let value = fields["troughs"].flatMap(bool) { sampling.troughs = value }
        sampling.reads = .defaults(troughs: sampling.troughs)
        if let reads = fields["reads"].flatMap({ object($0, allowed: Self.readsKeys) }) {
            if let files = reads["periodic"].flatMap(procFiles) { sampling.reads.periodic = files }
            if let files = reads["trough"].flatMap(procFiles) { sampling.reads.trough = files }
            if let field = reads["smapsRollupEvery"], let every = number(field, expected: "a whole number like 32") {
                if every >= 1, every <= 1_000_000, every == every.rounded() {
                    sampling.reads.smapsRollupEvery = Int(every)
                } else {
                    report(field.path, "expected a whole number from 1 to 1000000, found \(every)", at: field.value.offset)
                }
            }
        }
        return sampling
    }

    /// A list of /proc file names, like ["status", "fds"].
    private func procFiles(_ field: ProfileField) -> ProcFiles? {
        let expected = "a list of files from " + ProcFiles.names.map { "\"\($0.0)\"" }.joined(separator: ", ")
        guard let names = strings(field, expected: expected) else { return nil }
        var files: ProcFiles = []
        for name in names {
            guard let file = ProcFiles.names.first(where: { $0.0 == name })?.1 else {
                report(field.path, "\"\(name)\" is not a file the sampler reads; expected \(expected) (stat is always read)",
                       at: field.value.offset)
                return nil
            }
            files.insert(file)
        }
        return files
    }

    /// Thresholds per metric. `perHour` (simulated) is converted to per cycle with the interval, so
    /// the analysis only ever sees one form.
    func decodeThresholds(_ field: ProfileField, interval: Duration?) -> [Metric: Threshold]? {
        guard let metrics = metricObject(field) else { return nil }
        var result: [Metric: Threshold] = [:]
        for (metric, metricField) in metrics {
            guard let fields = object(metricField, allowed: Self.thresholdKeys) else { continue }
            let fallback = Threshold.defaults[metric] ?? Threshold(perCycle: 0, floor: 0)
            var threshold = fallback
            if fields.has("perCycle") && fields.has("perHour") {
                report(metricField.path, "expected one of perCycle, perHour, found both", at: metricField.value.offset)
                continue
            }
            if let value = fields["perCycle"].flatMap({ amount($0, metric: metric) }) { threshold.perCycle = value }
            if let perHourField = fields["perHour"], let perHour = amount(perHourField, metric: metric),
                let interval
            {
                threshold.perCycle = perHour * Double(interval / .seconds(1)) / 3600
            }
            if let value = fields["floor"].flatMap({ amount($0, metric: metric) }) { threshold.floor = value }
            result[metric] = threshold
        }
        return result
    }

    func decodeTolerances(_ field: ProfileField) -> [Metric: Tolerance]? {
        guard let metrics = metricObject(field) else { return nil }
        var result: [Metric: Tolerance] = [:]
        for (metric, metricField) in metrics {
            if case .string(let text) = metricField.value.kind, text.hasSuffix("%") {
                if let fraction = Percentage.parse(text) {
                    result[metric] = .relative(fraction)
                } else {
                    mismatch(metricField, expected: "a percentage like 5%")
                }
            } else if let value = amount(metricField, metric: metric, orPercentage: true) {
                result[metric] = .absolute(value)
            }
        }
        return result
    }

    func decodeLimits(_ field: ProfileField) -> Profile.Limits? {
        guard let fields = object(field, allowed: Self.limitKeys) else { return nil }
        var limits = Profile.Limits()
        if let value = fields["memory"].flatMap({ wholeBytes($0, limit: ProfileLimits.memory, example: "512MiB") }) {
            limits.memoryBytes = value
        }
        if let value = fields["teardownGrace"].flatMap({ duration($0, example: "5s") }) {
            limits.teardownGraceWall = value
        }
        if let value = fields["maxAccelerate"].flatMap({ number($0, expected: "a number like 20000") }) {
            limits.maxAccelerate = value
        }
        return limits
    }

    /// An object keyed by metric names, in file order.
    private func metricObject(_ field: ProfileField) -> [(Metric, ProfileField)]? {
        let known = Metric.allCases + declaredMetrics
        let names = known.map(\.rawValue)
        guard case .object(let list) = field.value.kind else {
            mismatch(field, expected: "an object keyed by metric (\(names.joined(separator: ", ")))")
            return nil
        }
        remember(field.path, field.value.offset)
        var seen = Set<String>()
        var result: [(Metric, ProfileField)] = []
        var stray = StrayNames(decoder: self, object: field, allowed: names, noun: "metric")
        for member in list {
            let memberField = ProfileField(value: member.value, path: field.path(member.key))
            guard let metric = known.first(where: { $0.rawValue == member.key }) else {
                stray.unknown(member)
                continue
            }
            guard seen.insert(member.key).inserted else {
                stray.repeated(member)
                continue
            }
            remember(memberField.path, member.value.offset)
            result.append((metric, memberField))
        }
        stray.finish()
        return result
    }

    /// An amount in the metric's unit: a byte size for byte metrics, a plain number otherwise.
    private func amount(_ field: ProfileField, metric: Metric, orPercentage: Bool = false) -> Double? {
        amount(field, unit: metric.unit, orPercentage: orPercentage)
    }

    /// An amount in `unit`: a byte size for bytes, a plain number otherwise.
    func amount(_ field: ProfileField, unit: MetricUnit, orPercentage: Bool = false) -> Double? {
        let alternative = orPercentage ? " or a percentage like 5%" : ""
        let value: Double
        let limit: StatedLimit<Double>
        if unit == .bytes {
            guard let bytes = ByteSize.parse(stringOrNumberText(field) ?? "") else {
                mismatch(field, expected: "a byte size like 64KiB or a number of bytes" + alternative)
                return nil
            }
            (value, limit) = (bytes, ProfileLimits.byteAmount)
        } else {
            guard case .number(let text) = field.value.kind, let number = Double(text), number.isFinite else {
                mismatch(field, expected: "a number of \(unit.rawValue) like 5" + alternative)
                return nil
            }
            (value, limit) = (number, ProfileLimits.countAmount)
        }
        // Only the top is refused here; a negative amount gets the validator's "at least 0".
        if value > limit.range.upperBound {
            refuse(field, limit.atMost)
            return nil
        }
        return value
    }

    private func stringOrNumberText(_ field: ProfileField) -> String? {
        switch field.value.kind {
        case .string(let text): text
        case .number(let text) where !text.hasPrefix("-"): Double(text).map { "\($0)" }
        default: nil
        }
    }
}
