/// The points of one kind (troughs or periodic samples) of one metric, as the passes over a
/// samples file see them.
///
/// The first pass holds the points while there are few (one trough per cycle usually is); past
/// `heldLimit` it only counts them and bounds their values, and the series is rebuilt by later
/// passes once the warm-up is known: one to count the steady points, one to bucket them by median
/// (each bucket complete when its last point arrives) while the plateau's rank is narrowed down,
/// and rarely more for the plateau alone. Points out of x order (never in a samples.csv the
/// harness wrote) cannot be bucketed as they come, and are then held after all.
struct SeriesTap {
    enum Phase {
        /// The first pass: holding, or only counting once past the limit.
        case first
        case counting
        case bucketing
        /// Only the plateau is still open.
        case selecting
        case done
    }

    private let heldLimit: Int
    private(set) var phase = Phase.first
    /// Every point, while the first pass is under the limit.
    private(set) var held: [SeriesPoint]? = []
    /// Points of the whole file.
    private(set) var count = 0
    private var low = Double.infinity
    private var high = -Double.infinity
    private var steadyStart = 0.0
    /// Points in the steady window, once counted.
    private(set) var steadyCount = 0
    private var steadySorted = true
    private var lastSteadyX = -Double.infinity
    private var median: StreamingMedian?
    private var buckets: StreamingMedianBuckets?
    private var unsorted: [SeriesPoint]?
    private(set) var selection: SeriesSelector.Selection?

    /// A tap holding up to `heldLimit` points. With `reserving`, the storage for all of them is
    /// allocated and touched now, so a long-lived holder's resident memory does not creep up as
    /// points arrive (the harness's own RSS is a judged series).
    init(heldLimit: Int, reserving: Bool = false) {
        self.heldLimit = heldLimit
        guard reserving, heldLimit > 0 else { return }
        held = [SeriesPoint](repeating: SeriesPoint(x: 0, t: 0, y: 0), count: heldLimit)
        held!.removeAll(keepingCapacity: true)
    }

    /// The first pass's point.
    @inline(__always)
    mutating func add(_ point: SeriesPoint) {
        count += 1
        if point.y < low { low = point.y }
        if point.y > high { high = point.y }
        guard held != nil else { return }
        if count > heldLimit {
            held = nil
        } else {
            held!.append(point)
        }
    }

    /// After the first pass: a held series is counted at once; any other needs `.counting`.
    mutating func startSteadyWindow(at start: Double) {
        steadyStart = start
        if let held {
            steadyCount = held.lazy.filter { $0.t >= start }.count
            phase = .done
        } else {
            phase = .counting
            median = StreamingMedian(low: low, high: high)
            median?.beginPass()
        }
    }

    /// Builds the selection (points to fit, bucketed) once the series is chosen; returns whether
    /// more passes are needed.
    mutating func choose(source: SeriesSource, limit: Int) -> Bool {
        let dropped = count - steadyCount
        if let held {
            let steady = held.filter { $0.t >= steadyStart }
            var values = steady.map(\.y)
            let reduced = MedianBuckets.reduce(SeriesSelector.inOrder(steady), to: limit)
            selection = .init(points: reduced.points, source: source, bucketSize: reduced.bucketSize,
                              warmupDropped: dropped, plateau: values.isEmpty ? nil : OrderStatistics.median(&values))
            return false
        }
        selection = .init(points: [], source: source, bucketSize: 1, warmupDropped: dropped, plateau: nil)
        guard steadyCount > 0 else {
            phase = .done
            return false
        }
        if steadySorted {
            buckets = StreamingMedianBuckets(count: steadyCount, limit: limit)
        } else {
            unsorted = []
            unsorted?.reserveCapacity(steadyCount)
        }
        phase = .bucketing
        return true
    }

    /// A point of a later pass.
    @inline(__always)
    mutating func rescan(_ point: SeriesPoint) {
        guard point.t >= steadyStart else { return }
        switch phase {
        case .counting:
            steadyCount += 1
            if point.x < lastSteadyX { steadySorted = false }
            lastSteadyX = point.x
            median?.add(point.y)
        case .bucketing:
            if unsorted != nil { unsorted!.append(point) } else { buckets?.add(point) }
            median?.add(point.y)
        case .selecting:
            median?.add(point.y)
        case .first, .done:
            break
        }
    }

    /// Closes a later pass; returns whether another is needed.
    mutating func endPass(limit: Int) -> Bool {
        switch phase {
        case .counting:
            // Counted, but not chosen (yet): `choose` starts the next phase.
            if steadyCount > 0 { median?.fix(count: steadyCount) }
            median?.endPass()
            return false
        case .bucketing:
            if let unsorted {
                let reduced = MedianBuckets.reduce(SeriesSelector.inOrder(unsorted), to: limit)
                selection?.points = reduced.points
                selection?.bucketSize = reduced.bucketSize
                var values = unsorted.map(\.y)
                selection?.plateau = OrderStatistics.median(&values)
                self.unsorted = nil
                median = nil
            } else if let buckets {
                selection?.points = buckets.points
                selection?.bucketSize = buckets.bucketSize
                self.buckets = nil
            }
            return finishMedian()
        case .selecting:
            return finishMedian()
        case .first, .done:
            return false
        }
    }

    /// Leaves a counted series that was not chosen out of later passes.
    mutating func discard() {
        if phase == .counting { phase = .done }
        median = nil
    }

    /// Whether this tap reads the next pass.
    var needsPass: Bool { phase == .counting || phase == .bucketing || phase == .selecting }

    mutating func beginPass() { median?.beginPass() }

    private mutating func finishMedian() -> Bool {
        guard var median else {
            phase = .done
            return false
        }
        median.endPass()
        self.median = median
        if let value = median.value {
            selection?.plateau = value
            phase = .done
            return false
        }
        phase = .selecting
        return true
    }
}
