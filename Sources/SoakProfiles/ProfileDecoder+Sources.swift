import SoakAnalysis

/// A command target's own metric sources: its Prometheus endpoint and columns, and the JVM's
/// perf-data settings (the glibc heap is `ProfileDecoder+Heap`).
extension ProfileDecoder {
    /// `metricsURL`, `metrics`, `jvm` and `heap`: where the target's own heap figures come from.
    func decodeSources(_ fields: ProfileObject, into command: inout Profile.CommandTarget) {
        command.metricsURL = fields["metricsURL"].flatMap {
            string($0, expected: "a URL like \"http://127.0.0.1:{port}/metrics\"")
        }
        if let field = fields["metrics"] { command.metrics = decodePrometheusColumns(field) }
        if !command.metrics.isEmpty, command.metricsURL == nil, let field = fields["metrics"] {
            report(field.path, "metrics need metricsURL, the target's Prometheus endpoint", at: field.value.offset)
        }
        if let field = fields["jvm"] {
            if case .bool = field.value.kind {
                command.jvm = bool(field) == true ? Profile.JVMSettings() : nil
            } else if let settings = object(field, allowed: ["gcAtTrough", "classHistogram", "histogramEvery"],
                                            expected: "true, or {\"gcAtTrough\": true, \"classHistogram\": true}") {
                var jvm = Profile.JVMSettings(gcAtTrough: settings["gcAtTrough"].flatMap(bool) ?? false,
                                              classHistogram: settings["classHistogram"].flatMap(bool) ?? false)
                if let every = settings["histogramEvery"],
                   let count = count(every, limit: ProfileLimits.histogramEvery, example: "5") {
                    if let refusal = ProfileLimits.histogramEvery.refusal(of: count) {
                        refuse(every, refusal)
                    } else {
                        jvm.histogramEvery = count
                    }
                }
                command.jvm = jvm
            }
        }
        if let field = fields["heap"] { decodeHeap(field, into: &command) }
    }

    /// `{"COLUMN": "series"}` or `{"COLUMN": {"series": "...", "unit": "bytes", "decides": true}}`.
    func decodePrometheusColumns(_ field: ProfileField) -> [Profile.PrometheusColumn] {
        guard case .object(let members) = field.value.kind else {
            mismatch(field, expected: "an object like {\"node_heap\": \"nodejs_heap_size_used_bytes\"}")
            return []
        }
        var columns: [Profile.PrometheusColumn] = []
        for member in members {
            let entry = ProfileField(value: member.value, path: field.path(member.key))
            let name = member.key
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122)
                || ($0 >= 48 && $0 <= 57) }), Metric(rawValue: name) == nil, !columns.contains(where: { $0.column == name })
            else {
                report(entry.path, "expected a new column name of lowercase letters, digits and _, "
                    + "not a built-in metric or one given twice", at: member.value.offset)
                continue
            }
            remember(entry.path, member.value.offset)
            if case .string(let series) = member.value.kind {
                let unit: MetricUnit = series.split(separator: "{").first?.hasSuffix("_bytes") == true ? .bytes : .count
                columns.append(Profile.PrometheusColumn(column: name, series: series, unit: unit))
                continue
            }
            guard let settings = object(entry, allowed: ["series", "unit", "decides"],
                expected: "a series name, or an object with series, unit and decides")
            else { continue }
            guard let series = required(settings, "series", expected: "a series like \"x{area=\\\"heap\\\"}\"")
                .flatMap({ string($0) }) else { continue }
            var unit: MetricUnit = .bytes
            if let unitField = settings["unit"], let text = string(unitField, expected: "\"bytes\" or \"count\"") {
                guard let parsed = MetricUnit(rawValue: text), parsed == .bytes || parsed == .count || parsed == .seconds
                else {
                    mismatch(unitField, expected: "\"bytes\", \"count\" or \"seconds\"")
                    continue
                }
                unit = parsed
            }
            let decides = settings["decides"].flatMap(bool) ?? true
            columns.append(Profile.PrometheusColumn(column: name, series: series, unit: unit, decides: decides))
        }
        return columns
    }
}
