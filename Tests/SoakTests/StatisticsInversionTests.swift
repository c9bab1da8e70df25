import Testing
@testable import SoakAnalysis

@Suite("Pairwise statistics by inversions, against every pair")
struct StatisticsInversionTests {
    /// Series shaped like the ones the analysis meets, and some it should survive.
    enum Shape: String, CaseIterable, CustomStringConvertible {
        case noisyLeak, pageQuantisedFlat, pageQuantisedLeak, repeatedX, shuffledX, falling, simulatedSeconds
        case smallIntegers

        var description: String { rawValue }

        func points(n: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
            var generator = SplitMix64(seed: seed)
            func noise(_ range: UInt64) -> Double { Double(generator.next() % range) }
            var x = (0..<n).map(Double.init)
            var y: [Double] = []
            for i in 0..<n {
                let t = Double(i)
                switch self {
                case .noisyLeak: y.append(52_428_800 + 1024 * t + noise(131_072))
                case .pageQuantisedFlat: y.append(4096 * (12_800 + (noise(5) - 2)))
                case .pageQuantisedLeak: y.append(4096 * ((52_428_800 + 300 * t + noise(40_000)) / 4096).rounded())
                case .repeatedX:
                    x[i] = Double(i / 3)
                    y.append(1000 + 7 * Double(i / 3) + noise(50))
                case .shuffledX:
                    x[i] = noise(UInt64(n) * 4)
                    y.append(5 * x[i] + noise(1000))
                case .falling: y.append(1e9 - 333.5 * t + noise(99_999))
                case .simulatedSeconds:
                    x[i] = 86_400 * 3 + 180 * t + noise(3)
                    y.append(20_971_520 + noise(65_536) / 2)
                case .smallIntegers: y.append(20 + noise(3))
                }
            }
            return (x, y)
        }
    }

    /// The ranks `TheilSenFit` asks for: the median (two ranks) and Sen's interval around it.
    static func fitRanks(_ count: Int) -> [Int] {
        let spread = Int(Double(count).squareRoot() * 2)
        return [(count - 1) / 2, count / 2, max(0, count / 2 - spread), min(count - 1, count / 2 + spread)]
    }

    @Test("strict inversions match a count of every pair")
    func inversionCount() {
        var generator = SplitMix64(seed: 11)
        for length in [0, 1, 2, 3, 17, 300] {
            let keys = (0..<length).map { _ in Int(generator.next() % 20) }
            var expected = 0
            for i in keys.indices { for j in keys.indices where j > i && keys[i] > keys[j] { expected += 1 } }
            #expect(InversionCount.strict(keys) == expected, "length \(length)")
        }
    }

    @Test("listing inversions reports each pair once, by position, and stops at the limit")
    func inversionListing() {
        let keys = [4, 0, 3, 1, 2]
        var pairs: [[Int]] = []
        #expect(InversionCount.forEachInversion(keys, limit: 100) { pairs.append([$0, $1]) } == 6)
        #expect(Set(pairs) == [[0, 1], [0, 2], [0, 3], [0, 4], [2, 3], [2, 4]] && pairs.count == 6)
        #expect(InversionCount.forEachInversion(keys, limit: 5) { _, _ in Issue.record("listed past the limit") } == nil)
    }

    @Test("Kendall's score by merge sort equals the sum over every pair", arguments: Shape.allCases)
    func score(shape: Shape) {
        for (n, seed) in [(2, 1), (3, 2), (50, 3), (1_500, 4)] {
            let values = shape.points(n: n, seed: UInt64(seed)).y
            #expect(MannKendallTest.score(values) == MannKendallTest.scoreByPairs(values), "\(shape) n=\(n)")
        }
        #expect(MannKendallTest.score([3, 3, 3, 3]) == 0)
    }

    @Test("autocorrelation four lags a sweep equals one lag at a time, to the bit")
    func autocorrelation() throws {
        for n in [2, 3, 4, 5, 6, 7, 8, 9, 1_001] {
            let values = Shape.noisyLeak.points(n: n, seed: UInt64(n)).y
            let acf = try #require(MannKendallTest.autocorrelation(values))
            let mean = values.reduce(0, +) / Double(n)
            let centred = values.map { $0 - mean }
            let reference = centred.withUnsafeBufferPointer { y in
                (0..<n).map { MannKendallTest.lagSum(y, $0) / Double(n) }
            }
            #expect(acf == reference.map { $0 / reference[0] }, "n=\(n)")
        }
    }

    @Test("slopes at the fit's ranks equal the sorted slopes", arguments: Shape.allCases)
    func slopesMatchSort(shape: Shape) {
        for seed in 1...3 {
            let (x, y) = shape.points(n: 700, seed: UInt64(seed * 31))
            let slopes = PairwiseSlopes(x: x, y: y)
            let sorted = StatisticsSelectionTests.sortedSlopes(x, y)
            #expect(slopes.count == sorted.count)
            let ranks = Self.fitRanks(slopes.count)
            let expected = ranks.map { sorted[$0] }
            #expect(slopes.values(atRanks: ranks) == expected, "\(shape) seed \(seed)")
            if let inverted = slopes.invertedValues(atRanks: ranks) {
                #expect(inverted == expected, "\(shape) seed \(seed)")
            }
        }
    }

    @Test("the inversion path answers, not the scan, for the series the analysis meets",
          arguments: [Shape.noisyLeak, .pageQuantisedFlat, .pageQuantisedLeak, .repeatedX, .falling, .simulatedSeconds,
                      .smallIntegers])
    func invertedPathAnswers(shape: Shape) {
        let (x, y) = shape.points(n: 700, seed: 5)
        let slopes = PairwiseSlopes(x: x, y: y)
        let ranks = Self.fitRanks(slopes.count)
        #expect(slopes.invertedValues(atRanks: ranks) == slopes.scannedValues(atRanks: ranks), "\(shape)")
    }

    @Test("a whole fit at the analysis's largest size is the scan's, to the bit", arguments: [0, 1, 2])
    func largeFit(variant: Int) throws {
        let shape = [Shape.noisyLeak, .pageQuantisedLeak, .simulatedSeconds][variant]
        let (x, y) = shape.points(n: 2_500, seed: 99)
        let slopes = PairwiseSlopes(x: x, y: y)
        let ranks = Self.fitRanks(slopes.count)
        let inverted = try #require(slopes.invertedValues(atRanks: ranks))
        #expect(inverted == slopes.scannedValues(atRanks: ranks))
    }

    @Test("slopes that all tie at one non-zero value fall back to the scan and stay exact")
    func exactLineFallsBack() {
        let x = (0..<800).map(Double.init)
        let y = x.map { 4096 * $0 + 7 }
        let slopes = PairwiseSlopes(x: x, y: y)
        let ranks = Self.fitRanks(slopes.count)
        #expect(slopes.invertedValues(atRanks: ranks) == nil)
        #expect(slopes.values(atRanks: ranks) == [4096, 4096, 4096, 4096])
    }

    @Test("values beyond the rounding bound's range are left to the scan")
    func hugeValuesFallBack() {
        let x = (0..<200).map(Double.init)
        let y = x.map { $0 * 1e120 }
        #expect(SlopeRounding(x: x, y: y) == nil)
        #expect(SlopeRounding(x: [1, 1], y: [0, 1]) == nil)
        #expect(SlopeRounding(x: [0, 1], y: [1e-200, 1]) == nil)
        #expect(SlopeRounding(x: [0, 1], y: [0, 1])?.bound(at: 0) == 0)
    }
}
