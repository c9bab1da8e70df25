/// What one selector read from one page.
package enum PrometheusSelection: Sendable, Equatable {
    /// The value (the sum of `series` matching series).
    case value(Double, series: Int)
    /// No usable value, and why, in words that tell the person what to change.
    case absent(String)

    /// The value, or nil when absent.
    package var value: Double? {
        if case .value(let value, _) = self { return value }
        return nil
    }
}

extension PrometheusSeriesSelector {
    /// Reads this selector's value from `page`. Several matching series are summed; none is
    /// `absent` with the closest thing the page does have. A `NaN` among them is absent too:
    /// samples.csv reads NaN as missing, and a missing value must never pass for a reading.
    ///
    /// The quantiles of a summary and the buckets of a histogram are never summed: their sum
    /// means nothing, so one quantile or `le` must be named, or the `_sum` or `_count` series.
    package func select(in page: PrometheusExposition) -> PrometheusSelection {
        var total = 0.0
        var count = 0
        var sawNaN = false
        var spread: Set<String> = []
        let family = page.family(ofSample: name)
        let spreadLabel = Self.spreadLabel(sample: name, family: family)
        for sample in page.samples where matches(sample) {
            count += 1
            if sample.value.isNaN { sawNaN = true } else { total += sample.value }
            if let spreadLabel { spread.insert(sample.label(spreadLabel) ?? "") }
        }
        if count == 0 { return .absent(explainAbsence(in: page, family: family)) }
        if let spreadLabel, spread.count > 1 {
            let kind = spreadLabel == "quantile" ? "quantiles of a summary" : "buckets of a histogram"
            return .absent("\(self) matches \(spread.count) \(kind), whose sum means nothing: name one, like "
                + "\(name){\(spreadLabel)=\"\(spread.contains("+Inf") ? "+Inf" : spread.sorted().last ?? "")\"}, or the _sum or _count series")
        }
        if sawNaN { return .absent("\(self) is NaN") }
        return .value(total, series: count)
    }

    /// The label whose values must not be summed over: `quantile` of a summary, `le` of a histogram.
    private static func spreadLabel(sample: String, family: (name: String, family: PrometheusFamily)?) -> String? {
        guard let family else { return nil }
        switch family.family.type {
        case .summary where sample == family.name: return "quantile"
        case .histogram where sample == family.name + "_bucket": return "le"
        case .gaugehistogram where sample == family.name + "_bucket": return "le"
        default: return nil
        }
    }

    /// Why nothing matched: the family is a histogram or summary, or the name is there with other
    /// labels, or it is not there at all (with near names when the page has them).
    private func explainAbsence(
        in page: PrometheusExposition, family: (name: String, family: PrometheusFamily)?
    ) -> String {
        if let declared = page.families[name], declared.type.hasNoBareSample || declared.type == .counter {
            let suffixes = declared.type.sampleSuffixes.filter { $0 != "_created" }
            if !suffixes.isEmpty, !page.samples.contains(where: { $0.name == name }) {
                let names = suffixes.map { name + $0 }.joined(separator: " or ")
                return "\(name) is a \(declared.type.rawValue): name its series \(names)"
            }
        }
        let sameName = page.samples.filter { $0.name == name }
        if !sameName.isEmpty {
            let shown = sameName.prefix(4).map { Self.text(of: $0) }.joined(separator: ", ")
            return "no series of \(name) matches \(self); the page has \(sameName.count): \(shown)"
                + (sameName.count > 4 ? ", ..." : "")
        }
        // The names sharing the longest start with the one asked for: a typo, or another unit.
        let names = Set(page.samples.map(\.name))
        let shared = names.map { ($0, zip($0.utf8, name.utf8).prefix { $0 == $1 }.count) }
        let longest = shared.map(\.1).max() ?? 0
        let near = shared.filter { $0.1 == longest && longest >= 4 }.map(\.0).sorted().prefix(5)
        if near.isEmpty { return "the page has no series \(name)" }
        return "the page has no series \(name) (it has \(near.joined(separator: ", ")))"
    }

    private static func text(of sample: PrometheusSample) -> String {
        guard !sample.labels.isEmpty else { return sample.name }
        return sample.name + "{" + sample.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
