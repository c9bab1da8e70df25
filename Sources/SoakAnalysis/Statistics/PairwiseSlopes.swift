/// The slopes (y_j − y_i) / (x_j − x_i) of every pair of points with different x, as Theil–Sen and
/// Sen's slope use them, queried by rank without keeping them all in memory.
///
/// n = 4000 points have 8 million slopes (64 MB as doubles). Ranks near each other (the median and
/// the ends of its confidence interval) are found by sampling slopes to bracket them, then one pass
/// over all pairs that keeps only the slopes inside the bracket: a few MB instead. Small inputs, or
/// a bracket that missed (unlucky sample), fall back to materialising every slope, so the answer is
/// always exact.
package struct PairwiseSlopes {
    /// Points sorted by x (ties in input order).
    let x: [Double]
    let y: [Double]
    /// For each i, the first index whose x is greater than x[i]: pairs with equal x are skipped.
    private let firstGreater: [Int]
    /// The number of pairs with different x.
    package let count: Int

    /// Below this many slopes, materialising them is cheaper than the bracket's extra pass.
    static let materialiseLimit = 1 << 18

    /// The pairs of the points (x[i], y[i]), in any order.
    package init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "x and y differ in length")
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        self.x = order.map { x[$0] }
        self.y = order.map { y[$0] }
        var firstGreater = [Int](repeating: self.x.count, count: self.x.count)
        var pairs = 0
        var groupStart = 0
        for i in 0..<self.x.count where i + 1 == self.x.count || self.x[i + 1] != self.x[i] {
            for k in groupStart...i { firstGreater[k] = i + 1 }
            pairs += (i + 1 - groupStart) * (self.x.count - i - 1)
            groupStart = i + 1
        }
        self.firstGreater = firstGreater
        self.count = pairs
    }

    /// The slopes at the given 0-based ranks (ascending order of slope), in the order asked.
    ///
    /// O(n log n) and a few thousand slopes for most series (`invertedValues`); the scan of every
    /// pair answers what that cannot prove, with the same values.
    package func values(atRanks ranks: [Int]) -> [Double] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < count }, "rank outside 0..<\(count)")
        if count > Self.invertLimit, let inverted = invertedValues(atRanks: ranks) { return inverted }
        return scannedValues(atRanks: ranks)
    }

    /// Below this many slopes, scanning every pair is as quick as sorting the points by probes.
    static let invertLimit = 1 << 12

    /// `values(atRanks:)` by visiting every pair, O(n²): the reference the faster path must match,
    /// and its fallback.
    package func scannedValues(atRanks ranks: [Int]) -> [Double] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < count }, "rank outside 0..<\(count)")
        if count > Self.materialiseLimit, let bracketed = bracketedValues(atRanks: ranks) {
            return bracketed
        }
        var all = [Double]()
        all.reserveCapacity(count)
        forEachSlope { all.append($0) }
        return OrderStatistics.select(ranks, in: &all)
    }

    /// Calls `body` with every slope once. The division order matches scipy's
    /// `deltay / deltax` with the larger-x point first, so slopes agree to the last bit.
    @inline(__always)
    private func forEachSlope(_ body: (Double) -> Void) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                for i in 0..<x.count {
                    let xi = x[i]
                    let yi = y[i]
                    var j = firstGreater[i]
                    while j < x.count {
                        body((y[j] - yi) / (x[j] - xi))
                        j += 1
                    }
                }
            }
        }
    }

    static let sampleSize = 32_768

    /// Slopes [low, high] that very likely bracket every rank asked, from a uniform sample of
    /// slopes: ±infinity where the bracket reaches past the sample's ends. `select` takes the two
    /// sample values by selection instead of sorting the sample (same values, less time).
    func sampledBracket(_ ranks: [Int], select: Bool) -> (low: Double, high: Double)? {
        guard let first = ranks.min(), let last = ranks.max() else { return nil }
        let sampleSize = Self.sampleSize
        var sample = self.sample(size: sampleSize)
        let total = Double(count)
        // A sample quantile's rank error is about sqrt(m)/2 sample positions; 3·sqrt(m) is a wide
        // margin, so a miss (and the fallback) is rare.
        let margin = 3 * Double(sampleSize).squareRoot()
        let lowIndex = Int((Double(first) / total * Double(sampleSize) - margin).rounded(.down))
        let highIndex = Int((Double(last + 1) / total * Double(sampleSize) + margin).rounded(.up))
        let inRange = [lowIndex, highIndex].filter { $0 >= 0 && $0 < sampleSize }
        var values: [Double]
        if select {
            values = OrderStatistics.select(inRange, in: &sample)
        } else {
            sample.sort()
            values = inRange.map { sample[$0] }
        }
        let low = lowIndex < 0 ? -Double.infinity : values.removeFirst()
        let high = highIndex >= sampleSize ? Double.infinity : values.removeFirst()
        return (low, high)
    }

    /// A uniform sample of slopes, in the order drawn.
    private func sample(size: Int) -> [Double] {
        var generator = SplitMix64(seed: 0x7E11_5E11)
        var sample = [Double]()
        sample.reserveCapacity(size)
        let n = UInt64(x.count)
        // Ordered pairs drawn uniformly and rejected on equal x are uniform over unordered pairs.
        while sample.count < size {
            let i = Int(generator.next() % n)
            let j = Int(generator.next() % n)
            if x[i] == x[j] { continue }
            sample.append(i < j ? (y[j] - y[i]) / (x[j] - x[i]) : (y[i] - y[j]) / (x[i] - x[j]))
        }
        return sample
    }

    /// Order statistics via a sampled bracket [low, high]; nil when a rank falls outside it
    /// (internal rather than private so tests can prove this path, not the fallback, answered).
    func bracketedValues(atRanks ranks: [Int]) -> [Double]? {
        guard let (low, high) = sampledBracket(ranks, select: false) else { return nil }
        let sampleSize = Self.sampleSize
        let total = Double(count)
        let margin = 3 * Double(sampleSize).squareRoot()
        let lowIndex = Int((Double(ranks.min()!) / total * Double(sampleSize) - margin).rounded(.down))
        let highIndex = Int((Double(ranks.max()! + 1) / total * Double(sampleSize) + margin).rounded(.up))

        var below = 0
        var equalLow = 0
        var equalHigh = 0
        var inside = [Double]()
        inside.reserveCapacity(Int(Double(highIndex - lowIndex) / Double(sampleSize) * total * 1.2) + 16)
        forEachSlope { slope in
            // Most slopes fall outside the bracket, on either side at random: counting them
            // without a branch keeps the scan free of mispredictions.
            below &+= slope < low ? 1 : 0
            if slope >= low, slope <= high {
                if slope == low {
                    equalLow += 1
                } else if slope == high {
                    equalHigh += 1
                } else {
                    inside.append(slope)
                }
            }
        }
        // When low == high every tied slope was counted in equalLow: ranks resolve the same way.
        var answers = [Double?](repeating: nil, count: ranks.count)
        var insideRanks: [(answer: Int, offset: Int)] = []
        for (answer, rank) in ranks.enumerated() {
            var offset = rank - below
            if offset < 0 { return nil }
            if offset < equalLow {
                answers[answer] = low
                continue
            }
            offset -= equalLow
            if offset < inside.count {
                insideRanks.append((answer, offset))
                continue
            }
            offset -= inside.count
            guard offset < equalHigh else { return nil }
            answers[answer] = high
        }
        let selected = OrderStatistics.select(insideRanks.map(\.offset), in: &inside)
        for (slot, value) in zip(insideRanks, selected) { answers[slot.answer] = value }
        return answers.map { $0! }
    }
}
