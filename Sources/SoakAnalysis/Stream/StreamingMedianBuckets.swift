/// `MedianBuckets.reduce` fed one point at a time: with the number of points known in advance
/// (from an earlier pass), each bucket is complete when its last point arrives, so only one
/// bucket is ever held. Produces exactly what `reduce` does on the same points in the same order.
struct StreamingMedianBuckets {
    private let count: Int
    private let limit: Int
    private let base: Int
    private let longer: Int
    private var bucket = 0
    private var xs: [Double] = []
    private var ts: [Double] = []
    private var ys: [Double] = []
    private(set) var points: [SeriesPoint] = []

    /// Buckets for `count` points reduced to at most `limit`.
    init(count: Int, limit: Int) {
        self.count = count
        self.limit = limit
        let reduces = limit > 0 && count > limit
        base = reduces ? count / limit : 1
        longer = reduces ? count % limit : 0
        points.reserveCapacity(min(count, max(limit, 0)))
    }

    /// Raw points in the largest bucket, as `MedianBuckets.reduce` reports it.
    var bucketSize: Int { limit > 0 && count > limit ? base + (longer > 0 ? 1 : 0) : 1 }

    @inline(__always)
    mutating func add(_ point: SeriesPoint) {
        guard limit > 0, count > limit else {
            points.append(point)
            return
        }
        xs.append(point.x)
        ts.append(point.t)
        ys.append(point.y)
        if xs.count == base + (bucket < longer ? 1 : 0) {
            points.append(SeriesPoint(
                x: OrderStatistics.median(&xs), t: OrderStatistics.median(&ts), y: OrderStatistics.median(&ys)))
            xs.removeAll(keepingCapacity: true)
            ts.removeAll(keepingCapacity: true)
            ys.removeAll(keepingCapacity: true)
            bucket += 1
        }
    }
}
