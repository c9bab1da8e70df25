/// Shortens a series to a bounded number of points by medians of consecutive runs.
///
/// Medians, not means: a periodic series rides a load/unload sawtooth and a mean would follow
/// its spikes; a bucket's median follows its typical level. Buckets have equal counts (the
/// first ones one point longer when it does not divide), so gaps in sampling do not leave
/// buckets empty.
package enum MedianBuckets {
    /// `points` (in order) reduced to at most `limit` points; unchanged when already short enough.
    /// Returns the points and how many raw points the largest bucket holds (1 when unchanged).
    package static func reduce(_ points: [SeriesPoint], to limit: Int) -> (points: [SeriesPoint], bucketSize: Int) {
        guard limit > 0, points.count > limit else { return (points, 1) }
        let base = points.count / limit
        let longer = points.count % limit
        var result: [SeriesPoint] = []
        result.reserveCapacity(limit)
        var start = 0
        for bucket in 0..<limit {
            let end = start + base + (bucket < longer ? 1 : 0)
            let slice = points[start..<end]
            var xs = slice.map(\.x)
            var ts = slice.map(\.t)
            var ys = slice.map(\.y)
            result.append(SeriesPoint(
                x: OrderStatistics.median(&xs), t: OrderStatistics.median(&ts), y: OrderStatistics.median(&ys)))
            start = end
        }
        return (result, base + (longer > 0 ? 1 : 0))
    }
}
