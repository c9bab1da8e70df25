/// One point of a chart series; a NaN `y` is a missing reading, drawn as a gap.
struct ChartPoint: Sendable, Equatable {
    var x: Double
    var y: Double
}

/// Keeps chart series small: an 8-day run sampled at 1 Hz has 700,000 points per column, and a
/// browser should not have to draw them into 800 pixels.
enum ChartSampling {
    /// The most points one series puts into the SVG.
    static let maxPoints = 2000

    /// `points` (in x order) reduced to at most `limit` points by keeping the lowest and the
    /// highest value of each run of consecutive points, in their order. Min/max rather than a
    /// median: a chart must still show the spike or the dip a median would hide. A bucket with no
    /// value at all becomes a gap; shorter holes inside a bucket are below a pixel and are not.
    static func reduce(_ points: [ChartPoint], limit: Int = maxPoints) -> [ChartPoint] {
        guard points.count > limit, limit >= 2 else { return points }
        let buckets = limit / 2
        var result: [ChartPoint] = []
        result.reserveCapacity(limit)
        for bucket in 0..<buckets {
            let start = bucket * points.count / buckets
            let end = (bucket + 1) * points.count / buckets
            var low: Int?
            var high: Int?
            for index in start..<end where !points[index].y.isNaN {
                if low.map({ points[index].y < points[$0].y }) ?? true { low = index }
                if high.map({ points[index].y > points[$0].y }) ?? true { high = index }
            }
            guard let low, let high else {
                // Only one gap marker in a row: consecutive empty buckets are one hole.
                if !(result.last?.y.isNaN ?? true) { result.append(ChartPoint(x: points[start].x, y: .nan)) }
                continue
            }
            result.append(points[min(low, high)])
            if low != high { result.append(points[max(low, high)]) }
        }
        return result
    }

    /// Runs of consecutive present values: each becomes one polyline.
    static func segments(_ points: [ChartPoint]) -> [ArraySlice<ChartPoint>] {
        var segments: [ArraySlice<ChartPoint>] = []
        var start: Int?
        for index in points.indices {
            if points[index].y.isNaN {
                if let first = start { segments.append(points[first..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let first = start { segments.append(points[first...]) }
        return segments
    }
}
