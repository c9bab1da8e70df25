/// Runs of exactly equal values, as Kendall's variance corrections count them.
///
/// Equality is exact on purpose: scipy and pymannkendall compare floats with `==`, and the tests
/// must agree with them. Page-quantised RSS (multiples of 4096) produces such runs constantly.
enum TieGroups {
    /// Σ t(t−1)(2t+5) over groups of t equal values (t ≥ 2): the amount ties remove from
    /// n(n−1)(2n+5), the untied Mann–Kendall variance times 18.
    static func varianceTerm(_ values: [Double]) -> Int {
        var term = 0
        forEachGroupSize(values) { t in term += t * (t - 1) * (2 * t + 5) }
        return term
    }

    /// Calls `body` with the size of every group of equal values (including groups of one).
    static func forEachGroupSize(_ values: [Double], _ body: (Int) -> Void) {
        let sorted = values.sorted()
        var start = 0
        for i in sorted.indices where i + 1 == sorted.count || sorted[i + 1] != sorted[i] {
            body(i + 1 - start)
            start = i + 1
        }
    }

    /// Ranks 1...n with ties given the average of the ranks they span (scipy's `rankdata`).
    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        for i in order.indices where i + 1 == order.count || values[order[i + 1]] != values[order[i]] {
            // Positions start...i (0-based) share ranks start+1 ... i+1; their mean is exact.
            let rank = Double(start + 1 + i + 1) * 0.5
            for k in start...i { ranks[order[k]] = rank }
            start = i + 1
        }
        return ranks
    }
}
