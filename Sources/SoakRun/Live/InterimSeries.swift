/// The leak signal of a run so far, kept in memory for the interim verdict: one point per trough
/// (or per periodic sample when the profile takes no troughs), every judged metric, at most
/// `capacity` points.
///
/// Bounded by thinning, not by dropping the oldest: when full it keeps every other point and from
/// then on takes every second one (then every fourth, ...), so the points always span the whole
/// run at an even spacing. The storage is reserved up front, so the harness's own RSS (a judged
/// metric) does not creep as a long run goes on.
import SoakAnalysis

struct InterimSeries: Sendable {
    /// Which samples feed the series.
    let source: SeriesSource
    let capacity: Int
    /// Samples seen per point kept.
    private(set) var stride = 1
    /// Samples of the source kind seen so far.
    private(set) var seen = 0
    /// The x axis: the cycle for troughs, simulated seconds for periodic samples.
    private(set) var x: [Double] = []
    /// Simulated seconds of each point.
    private(set) var t: [Double] = []
    /// Per metric (in `Metric.allCases` order), the value of each point; NaN where missing.
    private(set) var values: [[Double]]
    /// Per metric, the largest value seen (every sample kind), for the peak.
    private(set) var peaks: [Double?]

    init(source: SeriesSource, capacity: Int = 256) {
        self.source = source
        // Even, so a thinned series stays on one stride.
        self.capacity = max(16, capacity + capacity % 2)
        x.reserveCapacity(self.capacity)
        t.reserveCapacity(self.capacity)
        values = Metric.allCases.map { _ in
            var column: [Double] = []
            column.reserveCapacity(max(16, capacity + capacity % 2))
            return column
        }
        peaks = Array(repeating: nil, count: Metric.allCases.count)
    }

    var count: Int { x.count }

    /// Takes `row` into the series when it is of the source kind and falls on the stride.
    mutating func append(_ row: SampleRow) {
        for (index, metric) in Metric.allCases.enumerated() {
            if let value = row[metric: metric] { peaks[index] = max(peaks[index] ?? value, value) }
        }
        let wanted: SampleKind = source == .troughs ? .trough : .periodic
        guard row.kind == wanted, let time = row[.simSeconds] else { return }
        let position = source == .troughs ? row[.cycle] : time
        guard let position else { return }
        defer { seen += 1 }
        guard seen % stride == 0 else { return }
        if x.count == capacity { thin() }
        x.append(position)
        t.append(time)
        for (index, metric) in Metric.allCases.enumerated() {
            values[index].append(row[metric: metric] ?? .nan)
        }
    }

    /// A copy with storage of its own, made by the reader (the status thread) under the lock: a
    /// plain copy would share the arrays, and the driver's next append would then reallocate them on
    /// its own thread, at a growing size, every time the interim verdict is refitted.
    func detachedCopy() -> InterimSeries {
        var copy = self
        copy.x = x.map { $0 }
        copy.t = t.map { $0 }
        copy.values = values.map { column in column.map { $0 } }
        return copy
    }

    /// A full series of made-up troughs with every metric, to fit once when a run starts: the fit's
    /// scratch memory grows with the points fitted, so fitting the largest series first leaves the
    /// status thread's malloc arena at its final size, instead of creeping up while the real
    /// series fills (which would show as growth in the harness's own RSS).
    static func fullOfTroughs(capacity: Int = 256) -> InterimSeries {
        var series = InterimSeries(source: .troughs, capacity: capacity)
        var noise: UInt64 = 0x9E37_79B9_7F4A_7C15
        for cycle in 0..<series.capacity {
            var row = SampleRow()
            row.kind = .trough
            row[.cycle] = Double(cycle)
            row[.simSeconds] = Double(cycle) * 180
            for metric in Metric.allCases {
                noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                row[metric: metric] = 1_000_000 + Double(noise >> 48)
            }
            series.append(row)
        }
        return series
    }

    /// The points of `metric` (missing values left out), in order.
    func points(of metric: Metric) -> [SeriesPoint] {
        guard let index = Metric.allCases.firstIndex(of: metric) else { return [] }
        var points: [SeriesPoint] = []
        points.reserveCapacity(x.count)
        for row in x.indices where !values[index][row].isNaN {
            points.append(SeriesPoint(x: x[row], t: t[row], y: values[index][row]))
        }
        return points
    }

    /// The largest value of `metric` seen.
    func peak(of metric: Metric) -> Double? {
        Metric.allCases.firstIndex(of: metric).flatMap { peaks[$0] }
    }

    /// Keeps every other point, in place (no new allocation), and doubles the stride.
    private mutating func thin() {
        func halve(_ array: inout [Double]) {
            let kept = (array.count + 1) / 2
            for index in 0..<kept { array[index] = array[index * 2] }
            array.removeLast(array.count - kept)
        }
        halve(&x)
        halve(&t)
        for index in values.indices { halve(&values[index]) }
        stride *= 2
    }
}
