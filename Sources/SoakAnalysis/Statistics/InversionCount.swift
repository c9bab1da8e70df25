/// Counting and listing inversions by merge sort, in O(n log n) (plus the pairs listed).
///
/// Kendall's score and the pairwise slopes' order statistics are both questions about pairs
/// whose order differs between two rankings; merge sort answers them without visiting every pair.
enum InversionCount {
    /// The pairs i < j with `keys[i] > keys[j]` (strictly: equal keys are not inverted).
    static func strict(_ keys: [Int]) -> Int {
        var order = keys
        var scratch = keys
        var count = 0
        order.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                count = sortCounting(a, b)
            }
        }
        return count
    }

    /// Bottom-up merge sort of `a` (using `b` as scratch, both of one length) that returns the
    /// number of strict inversions it undid. Leaves `a` sorted.
    private static func sortCounting(_ a: UnsafeMutableBufferPointer<Int>, _ b: UnsafeMutableBufferPointer<Int>) -> Int {
        let n = a.count
        var count = 0
        var source = a
        var target = b
        var width = 1
        while width < n {
            var low = 0
            while low < n {
                let middle = min(low + width, n)
                let high = min(low + 2 * width, n)
                var l = low, r = middle, out = low
                while l < middle, r < high {
                    // Equal keys take the left one first, so they are never counted.
                    if source[r] < source[l] {
                        count += middle - l
                        target[out] = source[r]
                        r += 1
                    } else {
                        target[out] = source[l]
                        l += 1
                    }
                    out += 1
                }
                while l < middle { target[out] = source[l]; l += 1; out += 1 }
                while r < high { target[out] = source[r]; r += 1; out += 1 }
                low = high
            }
            swap(&source, &target)
            width *= 2
        }
        if source.baseAddress != a.baseAddress { _ = a.update(fromContentsOf: source) }
        return count
    }

    /// Calls `body(u, v)` for every pair of positions u < v of `keys` with `keys[u] > keys[v]`
    /// (keys distinct), after checking there are at most `limit` of them; returns the number of
    /// pairs, or nil (and calls nothing) when there are more than `limit`.
    static func forEachInversion(_ keys: [Int], limit: Int, _ body: (Int, Int) -> Void) -> Int? {
        let total = strict(keys)
        guard total <= limit else { return nil }
        guard total > 0 else { return 0 }
        // Positions travel with their keys, so each inversion is reported by position.
        let n = keys.count
        var source = Array(0..<n)
        var target = source
        var width = 1
        while width < n {
            var low = 0
            while low < n {
                let middle = min(low + width, n)
                let high = min(low + 2 * width, n)
                var l = low, r = middle, out = low
                while l < middle, r < high {
                    if keys[source[r]] < keys[source[l]] {
                        // Every left position still waiting comes before r and has a larger key.
                        for k in l..<middle { body(source[k], source[r]) }
                        target[out] = source[r]
                        r += 1
                    } else {
                        target[out] = source[l]
                        l += 1
                    }
                    out += 1
                }
                while l < middle { target[out] = source[l]; l += 1; out += 1 }
                while r < high { target[out] = source[r]; r += 1; out += 1 }
                low = high
            }
            swap(&source, &target)
            width *= 2
        }
        return total
    }
}
