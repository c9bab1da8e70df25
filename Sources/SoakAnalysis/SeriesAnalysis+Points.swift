extension SeriesAnalysis {
    /// Analyses points already in hand (a Prometheus range query's series, say) with the same
    /// warm-up, bucketing and leak rule as a CSV column. `missing` counts the points the caller
    /// left out as unusable (no value, NaN, ±Inf), reported as `missing_skipped`.
    public static func analyze(
        points: [SeriesPoint], y yName: String, x xName: String?, missing: Int, options: Options
    ) -> SeriesAnalysis {
        let dropped = options.warmup.dropped(of: points.count)
        let steady = SeriesSelector.inOrder(Array(points.dropFirst(dropped)))
        let reduced = MedianBuckets.reduce(steady, to: options.maxPoints)
        return judge(y: yName, x: xName, reduced, dropped: dropped, missing: missing, options: options)
    }
}
