/// Picks, per metric, the points the leak fit looks at: troughs when there are enough of them,
/// else periodic samples bucketed by median; in both cases after the warm-up window.
///
/// Troughs are preferred because they sit at the same phase of every cycle (everything unloaded),
/// so the load/unload sawtooth does not hide or fake a trend; periodic samples are the fallback
/// for targets without cycles or runs too short to have many.
package struct SeriesSelector {
    /// The chosen points of one metric.
    package struct Selection {
        package var points: [SeriesPoint]
        package var source: SeriesSource
        /// Raw samples per point in the largest bucket (1 when not bucketed).
        package var bucketSize: Int
        /// Raw samples of the chosen kind that fell inside the warm-up window.
        package var warmupDropped: Int
        /// The median of the steady window's raw values, before bucketing; nil when it is empty.
        package var plateau: Double?

        package init(
            points: [SeriesPoint], source: SeriesSource, bucketSize: Int, warmupDropped: Int, plateau: Double?
        ) {
            self.points = points
            self.source = source
            self.bucketSize = bucketSize
            self.warmupDropped = warmupDropped
            self.plateau = plateau
        }

        /// A selection whose plateau is the median of `steadyValues`, the steady window's raw values.
        package init(
            points: [SeriesPoint], source: SeriesSource, bucketSize: Int, warmupDropped: Int, steadyValues: [Double]
        ) {
            self.init(points: points, source: source, bucketSize: bucketSize, warmupDropped: warmupDropped,
                      plateau: SeriesSelector.median(steadyValues))
        }
    }

    let time: [Double]
    let cycle: [Double]?
    let kindCodes: [UInt8]?
    /// Simulated second at which the steady window starts.
    let steadyStart: Double
    let options: AnalysisOptions

    /// Reads the shared columns of `table`; nil when it has no simulated time at all.
    init?(table: SampleTable, options: AnalysisOptions) {
        guard let time = table.numeric[SampleColumn.simSeconds.rawValue] else { return nil }
        let present = time.filter { !$0.isNaN }
        guard let first = present.min(), let last = present.max() else { return nil }
        self.time = time
        self.cycle = table.numeric[SampleColumn.cycle.rawValue]
        self.kindCodes = table.kindCodes
        self.options = options
        switch options.warmup {
        case .fraction(let fraction): steadyStart = first + fraction * (last - first)
        case .duration(let duration): steadyStart = first + duration.analysisSeconds
        }
    }

    /// The series of one column, or nil when the column has no value at all.
    func select(_ values: [Double]) -> Selection? {
        var troughs: [SeriesPoint] = []
        var troughValues: [Double] = []
        var troughsDropped = 0
        var periodic: [SeriesPoint] = []
        var periodicValues: [Double] = []
        var periodicDropped = 0
        var anyValue = false
        for row in values.indices {
            let y = values[row]
            let t = time[row]
            if y.isNaN { continue }
            anyValue = true
            if t.isNaN { continue }
            if kindCodes?[row] == SampleTable.troughCode {
                // A trough without its cycle number cannot be placed on the per-cycle axis.
                guard let cycle, !cycle[row].isNaN else { continue }
                if t < steadyStart {
                    troughsDropped += 1
                } else {
                    troughs.append(SeriesPoint(x: cycle[row], t: t, y: y))
                    troughValues.append(y)
                }
            } else if t < steadyStart {
                periodicDropped += 1
            } else {
                periodic.append(SeriesPoint(x: t, t: t, y: y))
                periodicValues.append(y)
            }
        }
        guard anyValue else { return nil }

        let useTroughs = troughs.count >= options.minimumPoints || troughs.count > periodic.count
        if useTroughs {
            let reduced = MedianBuckets.reduce(Self.inOrder(troughs), to: options.maxTroughPoints)
            return Selection(points: reduced.points, source: .troughs, bucketSize: reduced.bucketSize,
                             warmupDropped: troughsDropped, plateau: Self.median(troughValues))
        }
        let reduced = MedianBuckets.reduce(Self.inOrder(periodic), to: options.maxPoints)
        return Selection(points: reduced.points, source: .periodic, bucketSize: reduced.bucketSize,
                         warmupDropped: periodicDropped, plateau: Self.median(periodicValues))
    }

    static func median(_ values: [Double]) -> Double? {
        var values = values
        return values.isEmpty ? nil : OrderStatistics.median(&values)
    }

    /// Points sorted by x, keeping file order among equal x (a file is normally in order already).
    static func inOrder(_ points: [SeriesPoint]) -> [SeriesPoint] {
        if zip(points, points.dropFirst()).allSatisfy({ $0.x <= $1.x }) { return points }
        return points.indices.sorted { (points[$0].x, $0) < (points[$1].x, $1) }.map { points[$0] }
    }
}
