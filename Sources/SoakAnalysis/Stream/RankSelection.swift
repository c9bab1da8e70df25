/// The value of one rank (0-based, as if sorted ascending) among values that can be read again
/// but not held: the plateau of a million periodic samples without keeping a million doubles.
///
/// Radix selection on an order-preserving 64-bit key: a pass counts values in 4,096 bins across
/// the key range still in question, the bin holding the rank becomes the next range; once that
/// range holds few enough values, one more pass collects them and selects exactly. The result is
/// the very value `OrderStatistics.select` would return. Typical memory series need two passes.
struct RankSelection {
    private static let binBits: UInt64 = 12
    private static let bins = 1 << 12
    /// Values collected at once, at most (512 KiB by default).
    private let collectLimit: Int

    var rank: Int
    private var low: UInt64
    private var high: UInt64
    /// Values whose key is below `low`.
    private var below = 0
    /// Values inside `low...high`, once a pass has counted them.
    private var inside: Int?
    private var histogram: [Int] = []
    /// The lowest and highest key seen in each bin: a bin of one repeated value (a thread count,
    /// a page-rounded RSS) then ends the search at once instead of after five more passes.
    private var binLow: [UInt64] = []
    private var binHigh: [UInt64] = []
    private var collected: [Double] = []
    private var collecting = false
    /// Bits of key below a bin, fixed for a pass.
    private var binShift: UInt64 = 0
    private(set) var value: Double?

    /// `low` and `high` bound the values (any superset of them works).
    init(rank: Int, low: Double, high: Double, collectLimit: Int = 1 << 16) {
        self.rank = rank
        self.collectLimit = collectLimit
        self.low = Self.key(low)
        self.high = Self.key(high)
        if self.low == self.high { value = low }
    }

    /// Prepares for a pass over every value again.
    mutating func beginPass() {
        guard value == nil else { return }
        collecting = inside.map { $0 <= collectLimit } ?? false
        if collecting {
            collected.removeAll(keepingCapacity: true)
        } else {
            binShift = shift
            histogram = [Int](repeating: 0, count: Self.bins)
            binLow = [UInt64](repeating: .max, count: Self.bins)
            binHigh = [UInt64](repeating: 0, count: Self.bins)
        }
    }

    @inline(__always)
    mutating func add(_ y: Double) {
        guard value == nil else { return }
        let key = Self.key(y)
        guard key >= low, key <= high else { return }
        if collecting {
            collected.append(y)
        } else {
            let bin = Int((key - low) >> binShift)
            histogram[bin] += 1
            if key < binLow[bin] { binLow[bin] = key }
            if key > binHigh[bin] { binHigh[bin] = key }
        }
    }

    /// Narrows the range after a pass; sets `value` once the rank is found.
    mutating func endPass() {
        guard value == nil else { return }
        if collecting {
            let local = rank - below
            if local >= 0, local < collected.count {
                value = OrderStatistics.select([local], in: &collected)[0]
            }
            collected = []
            return
        }
        var seen = below
        for bin in histogram.indices where histogram[bin] > 0 {
            if seen + histogram[bin] > rank {
                (low, high, below, inside) = (binLow[bin], binHigh[bin], seen, histogram[bin])
                if low == high { value = Self.value(ofKey: low) }
                (histogram, binLow, binHigh) = ([], [], [])
                return
            }
            seen += histogram[bin]
        }
        // The values changed between passes (a file rewritten under us): give up rather than loop.
        (histogram, binLow, binHigh) = ([], [], [])
        value = .nan
    }

    private var shift: UInt64 {
        let span = high - low
        let width = UInt64(64 - span.leadingZeroBitCount)
        return width > Self.binBits ? width - Self.binBits : 0
    }

    /// Orders like the doubles: negative values' bits reversed, positive ones above them.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    static func value(ofKey key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}

/// The median of re-readable values as `OrderStatistics.median` defines it: the middle value, or
/// the mean of the two middle ones.
struct StreamingMedian {
    private var ranks: [RankSelection]

    /// Values between `low` and `high` (any bounds around them); the count comes after the first
    /// pass, through `fix(count:)`, so that pass can already narrow the range.
    init(low: Double, high: Double) {
        ranks = [RankSelection(rank: 0, low: low, high: high), RankSelection(rank: 0, low: low, high: high)]
    }

    /// Sets the ranks for `count` values (positive); call before the first `endPass`.
    mutating func fix(count: Int) {
        if count % 2 == 1 {
            ranks = [ranks[0]]
            ranks[0].rank = count / 2
        } else {
            ranks[0].rank = count / 2 - 1
            ranks[1].rank = count / 2
        }
    }

    /// The median; nil until enough passes were made.
    var value: Double? {
        let values = ranks.compactMap(\.value)
        guard values.count == ranks.count else { return nil }
        return values.count == 1 ? values[0] : (values[0] + values[1]) / 2
    }

    mutating func beginPass() { for index in ranks.indices { ranks[index].beginPass() } }

    @inline(__always)
    mutating func add(_ y: Double) { for index in ranks.indices { ranks[index].add(y) } }

    mutating func endPass() { for index in ranks.indices { ranks[index].endPass() } }
}
