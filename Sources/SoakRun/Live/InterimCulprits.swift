/// The culprits of a run so far (types, stacks, classes), kept in memory for the interim verdict
/// in `status.json`, `soak status` and `/metrics`: a few series per source, each thinned to a
/// fixed number of points, so the harness's memory does not grow with the run.
///
/// A source can publish thousands of names (every sampled stack), so only `namesPerSource` are
/// followed: when the table is full, a new name takes the place of the followed one whose latest
/// value is smallest, if its own is larger. A growing culprit grows large, so it is followed
/// once it matters. The final judgement (`soak report`, the end of `soak run`) reads every name
/// from `culprits.jsonl`.
import SoakAnalysis

struct InterimCulprits: Sendable {
    /// One followed name: its points, thinned as `InterimSeries` thins (every other point kept,
    /// then every second one taken, ...).
    struct Followed: Sendable {
        var name: String
        var points: [SeriesPoint]
        var stride = 1
        var seen = 0
        var latest: Double
    }

    let namesPerSource: Int
    let pointsPerName: Int
    private(set) var sources: [CulpritSource: [Followed]] = [:]
    private(set) var units: [CulpritSource: MetricUnit] = [:]
    /// Whether each source reads at troughs (x counts cycles) or not (x is simulated seconds).
    private(set) var onCycles: [CulpritSource: Bool] = [:]

    init(namesPerSource: Int = 32, pointsPerName: Int = 64) {
        self.namesPerSource = namesPerSource
        self.pointsPerName = max(16, pointsPerName + pointsPerName % 2)
    }

    /// Takes the readings of `row`.
    mutating func append(_ row: SampleRow) {
        guard !row.culprits.isEmpty, let t = row[.simSeconds] else { return }
        for reading in row.culprits {
            let source = reading.source
            if units[source] == nil {
                units[source] = reading.unit
                onCycles[source] = row.kind == .trough && row[.cycle] != nil
                sources[source] = []
                sources[source]?.reserveCapacity(namesPerSource)
            }
            let x = onCycles[source] == true ? (row[.cycle] ?? t) : t
            // Taken out while changed, so the arrays are not copied at every reading.
            var followed = sources.removeValue(forKey: source) ?? []
            // A followed name missing from this reading counts as zero, as in culprits.jsonl.
            for index in followed.indices {
                add(SeriesPoint(x: x, t: t, y: reading.values[followed[index].name] ?? 0), to: &followed[index])
            }
            for (name, value) in reading.values where !followed.contains(where: { $0.name == name }) {
                if followed.count < namesPerSource {
                    followed.append(start(name, x: x, t: t, value: value))
                } else if let smallest = followed.indices.min(by: { followed[$0].latest < followed[$1].latest }),
                          followed[smallest].latest < value {
                    followed[smallest] = start(name, x: x, t: t, value: value)
                }
            }
            sources[source] = followed
        }
    }

    private func start(_ name: String, x: Double, t: Double, value: Double) -> Followed {
        var points: [SeriesPoint] = []
        points.reserveCapacity(pointsPerName)
        points.append(SeriesPoint(x: x, t: t, y: value))
        return Followed(name: name, points: points, seen: 1, latest: value)
    }

    private func add(_ point: SeriesPoint, to followed: inout Followed) {
        followed.latest = point.y
        defer { followed.seen += 1 }
        guard followed.seen % followed.stride == 0 else { return }
        if followed.points.count == pointsPerName {
            let kept = (followed.points.count + 1) / 2
            for index in 0..<kept { followed.points[index] = followed.points[index * 2] }
            followed.points.removeLast(followed.points.count - kept)
            followed.stride *= 2
        }
        followed.points.append(point)
    }

    /// A copy with storage of its own, for the status thread (see `InterimSeries.detachedCopy`).
    func detachedCopy() -> InterimCulprits {
        var copy = self
        copy.sources = sources.mapValues { list in
            list.map { followed in
                var own = followed
                own.points = followed.points.map { $0 }
                return own
            }
        }
        return copy
    }

    /// The followed names as series the culprit analysis judges.
    var series: [CulpritSeries] {
        CulpritSource.allCases.flatMap { source in
            (sources[source] ?? []).map { followed in
                CulpritSeries(source: source, name: followed.name, unit: units[source] ?? .count,
                              points: followed.points, onCycles: onCycles[source] ?? false, frames: [])
            }
        }
    }
}
