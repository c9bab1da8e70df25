import SoakUnits
/// One series of a `query_range` matrix: its labels and its points.
package struct RangeSeries: Sendable, Equatable {
    /// One `name="value"` pair of the series' label set.
    package struct Label: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One point: Unix seconds and the value, nil when Prometheus wrote NaN or ±Inf (such a point
    /// is skipped, never judged as a number).
    package struct Point: Sendable, Equatable {
        package var time: Double
        package var value: Double?

        package init(time: Double, value: Double?) {
            self.time = time
            self.value = value
        }
    }

    /// `__name__` first when present, then the others by name: the order people read selectors in.
    package var labels: [Label]
    package var points: [Point]

    package init(labels: [Label], points: [Point]) {
        self.labels = labels.sorted { ($0.name == "__name__" ? 0 : 1, $0.name) < ($1.name == "__name__" ? 0 : 1, $1.name) }
        self.points = points
    }

    /// The series as PromQL writes it: `process_resident_memory_bytes{job="fleet",role="front"}`,
    /// `{}` when it has no label at all (the result of `sum(...)`).
    package var selectorText: String {
        let name = labels.first { $0.name == "__name__" }?.value ?? ""
        let others = labels.filter { $0.name != "__name__" }.map { "\($0.name)=\"\(PrometheusText.escapeLabel($0.value))\"" }
        return others.isEmpty && !name.isEmpty ? name : name + "{" + others.joined(separator: ",") + "}"
    }

    /// Points whose value was NaN or ±Inf.
    package var nonFiniteCount: Int { points.count { $0.value == nil } }
}
