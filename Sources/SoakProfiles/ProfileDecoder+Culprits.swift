import SoakAnalysis

extension ProfileDecoder {
    static let culpritKeys = CulpritSource.allCases.map(\.rawValue) + ["top"]
    static let culpritThresholdKeys = ["perCycle", "floor"]

    /// `culprits`: thresholds per source (`types`, `stacks`, `classes`, each `{perCycle, floor}`)
    /// and `top`, the findings kept per source.
    func decodeCulprits(_ field: ProfileField) -> CulpritSettings? {
        guard let fields = object(field, allowed: Self.culpritKeys) else { return nil }
        var settings = CulpritSettings()
        for source in CulpritSource.allCases {
            guard let sourceField = fields[source.rawValue],
                  let members = object(sourceField, allowed: Self.culpritThresholdKeys) else { continue }
            let unit = CulpritSettings.unit(of: source)
            var threshold = settings.thresholds[source] ?? Threshold(perCycle: 0, floor: 0)
            if let value = members["perCycle"].flatMap({ amount($0, unit: unit) }) { threshold.perCycle = value }
            if let value = members["floor"].flatMap({ amount($0, unit: unit) }) { threshold.floor = value }
            settings.thresholds[source] = threshold
        }
        if let value = fields["top"].flatMap({ count($0, limit: ProfileLimits.culpritTop, example: "10") }) {
            settings.top = value
        }
        return settings
    }
}
