/// Order statistics of the pairwise slopes in O(n log n), plus the few slopes near the ranks asked.
///
/// A pair i, j (x_i < x_j) has a slope above s exactly when y_j − s·x_j > y_i − s·x_i: sorting the
/// points by y − s·x ranks every pair against s at once. Between two such probe slopes a < b, the
/// pairs whose order differs between the two sortings are the pairs with a slope in between; merge
/// sort lists them (inversions) without visiting the others, and counts those below a. Only the
/// listed pairs have their slope computed, with the very division `PairwiseSlopes` uses, so the
/// values returned are bit for bit the ones a scan of every pair selects.
///
/// y − s·x is rounded, so a pair whose slope lies within a bound (`SlopeRounding`) of a probe may
/// be ranked on the wrong side. Each answer is therefore checked to lie beyond that bound from both
/// probes, where no pair can have been misplaced; s = 0 is exact (y − 0·x = y), so ties at zero, the
/// commonest slope of page-quantised memory, are counted without listing them. Whatever cannot be
/// proved returns nil, and the caller scans every pair instead.
extension PairwiseSlopes {
    /// A probe slope, and which way pairs whose key ties at it are ranked.
    private struct Probe {
        var slope: Double
        /// Ties rank the larger x first, as a pair with slope ≤ s (else as slope > s).
        var tiesLow: Bool
    }

    /// Pairs listed at most, beyond which scanning every pair is no slower.
    private var listLimit: Int { max(1 << 16, count / 8) }

    /// The slopes at `ranks` (0-based, ascending order), or nil when the bracket from a sample of
    /// slopes missed a rank, too many slopes lie near the ranks, or the values are outside the
    /// range where the rounding bound holds.
    func invertedValues(atRanks ranks: [Int]) -> [Double]? {
        guard !ranks.isEmpty, let rounding = SlopeRounding(x: x, y: y),
              let (a0, b0) = sampledBracket(ranks, select: true), a0.isFinite, b0.isFinite else { return nil }
        // Widened by three bounds, so an answer at the sample's own value still proves itself.
        let a = a0 == 0 ? 0 : a0 - 3 * rounding.bound(at: a0)
        let b = b0 == 0 ? 0 : b0 + 3 * rounding.bound(at: b0)
        var probes: [Probe] = []
        if a != 0 { probes.append(Probe(slope: a, tiesLow: false)) }
        if a <= 0, b >= 0 { probes += [Probe(slope: 0, tiesLow: false), Probe(slope: 0, tiesLow: true)] }
        if b != 0 { probes.append(Probe(slope: b, tiesLow: true)) }

        let group = xGroups()
        let orders = probes.map(order(at:))
        // Pairs ranked at or below each probe: pairs u before v in its order with the larger x first.
        let lowCounts = orders.map { order in InversionCount.strict(order.map { group[$0] }) }
        var answers = [Double?](repeating: nil, count: ranks.count)
        var listedCount = 0
        for segment in 0..<(probes.count - 1) {
            let wanted = ranks.indices.filter { lowCounts[segment] <= ranks[$0] && ranks[$0] < lowCounts[segment + 1] }
            if wanted.isEmpty { continue }
            if probes[segment].slope == 0, probes[segment + 1].slope == 0 {
                // Exact: the pairs between the two zero probes are the pairs with equal y.
                for index in wanted { answers[index] = 0 }
                continue
            }
            guard let (flippedLow, inside) = listed(between: orders[segment], and: orders[segment + 1],
                                                    limit: listLimit - listedCount) else { return nil }
            listedCount += inside.count
            var values = inside
            // Pairs both probes rank low lie below every listed slope that proves itself.
            let below = lowCounts[segment] - flippedLow
            let offsets = wanted.map { ranks[$0] - below }
            guard offsets.allSatisfy({ $0 >= 0 && $0 < values.count }) else { return nil }
            let floor = probes[segment].slope + rounding.bound(at: probes[segment].slope)
            let ceiling = probes[segment + 1].slope - rounding.bound(at: probes[segment + 1].slope)
            for (index, value) in zip(wanted, OrderStatistics.select(offsets, in: &values)) {
                guard value >= floor, value <= ceiling else { return nil }
                answers[index] = value
            }
        }
        guard answers.allSatisfy({ $0 != nil }) else { return nil }
        return answers.map { $0! }
    }

    /// Point indices sorted by y − s·x, ties as the probe says, then by index.
    private func order(at probe: Probe) -> [Int] {
        let s = probe.slope
        let key = x.indices.map { y[$0] - s * x[$0] }
        return x.indices.sorted { u, v in
            if key[u] != key[v] { return key[u] < key[v] }
            if x[u] != x[v] { return (x[u] < x[v]) != probe.tiesLow }
            return u < v
        }
    }

    /// For each point, the rank of its x among the distinct x values (x is sorted).
    private func xGroups() -> [Int] {
        var group = [Int](repeating: 0, count: x.count)
        for i in x.indices.dropFirst() { group[i] = group[i - 1] + (x[i] != x[i - 1] ? 1 : 0) }
        return group
    }

    /// The slopes of the pairs ordered differently by `lower` and `upper` (equal-x pairs are not
    /// pairs), and how many of them `lower` ranks low; nil past `limit` pairs.
    private func listed(between lower: [Int], and upper: [Int], limit: Int) -> (flippedLow: Int, inside: [Double])? {
        var upperRank = [Int](repeating: 0, count: lower.count)
        for (rank, point) in upper.enumerated() { upperRank[point] = rank }
        var inside: [Double] = []
        var flippedLow = 0
        let found = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                InversionCount.forEachInversion(lower.map { upperRank[$0] }, limit: limit) { first, second in
                    // `first` comes before `second` in the lower probe's order.
                    let u = lower[first], v = lower[second]
                    if x[u] == x[v] { return }
                    let (i, j) = x[u] < x[v] ? (u, v) : (v, u)
                    if j == u { flippedLow += 1 }
                    inside.append((y[j] - y[i]) / (x[j] - x[i]))
                }
            }
        }
        return found == nil ? nil : (flippedLow, inside)
    }
}
