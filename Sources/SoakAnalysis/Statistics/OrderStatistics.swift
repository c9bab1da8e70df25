/// Selection of order statistics (the k-th smallest values) without sorting everything.
///
/// Theil–Sen needs four order statistics of up to ~8 million pairwise slopes; a full sort would
/// cost O(N log N) and dominate the analysis, selection is O(N) expected.
package enum OrderStatistics {
    /// The values at the given 0-based ranks of `values` (as if sorted ascending), in the order asked.
    ///
    /// Reorders `values`. Ranks must lie in `0..<values.count`.
    static func select(_ ranks: [Int], in values: inout [Double]) -> [Double] {
        var generator = SplitMix64(seed: 0x5EED_0F_7E11)
        var answers: [Int: Double] = [:]
        // After selecting rank r, everything right of r is ≥ it: the next larger rank only needs
        // to look there, so k ranks cost about one pass, not k.
        var start = 0
        for rank in Set(ranks).sorted() {
            precondition(rank >= start && rank < values.count, "rank \(rank) outside 0..<\(values.count)")
            answers[rank] = values.withUnsafeMutableBufferPointer { buffer in
                selectInPlace(rank, buffer, from: start, to: buffer.count, generator: &generator)
            }
            start = rank + 1
        }
        return ranks.map { answers[$0]! }
    }

    /// The median as numpy defines it: the middle value, or the mean of the two middle values.
    /// Reorders `values`, which must not be empty.
    package static func median(_ values: inout [Double]) -> Double {
        let n = values.count
        if n % 2 == 1 { return select([n / 2], in: &values)[0] }
        let middle = select([n / 2 - 1, n / 2], in: &values)
        return (middle[0] + middle[1]) / 2
    }

    /// Quickselect with a random pivot and three-way partitioning: memory series have long runs
    /// of equal values (page-quantised RSS gives whole blocks of zero slopes), which a two-way
    /// partition would turn quadratic.
    private static func selectInPlace(
        _ rank: Int, _ a: UnsafeMutableBufferPointer<Double>, from lower: Int, to upper: Int,
        generator: inout SplitMix64
    ) -> Double {
        var low = lower
        var high = upper - 1
        while true {
            if low == high { return a[low] }
            let pivot = a[low + Int(generator.next() % UInt64(high - low + 1))]
            // Invariant: a[low..<lt] < pivot, a[lt..<i] == pivot, a[gt+1...high] > pivot.
            var lt = low
            var i = low
            var gt = high
            while i <= gt {
                let value = a[i]
                if value < pivot {
                    a.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if value > pivot {
                    a.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return pivot
            }
        }
    }
}

/// A tiny deterministic generator (Steele, Lea and Flood's SplitMix64): pivots and samples must
/// be reproducible so that two analyses of the same file do the same work.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
