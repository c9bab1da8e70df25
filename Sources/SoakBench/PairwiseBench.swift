import SoakAnalysis

/// The pairwise statistics of one fitted series, by inversions (what the analysis runs) against
/// the scan of every pair they replaced, in this process: Theil–Sen's four order statistics of the
/// slopes and Kendall's score, on series shaped like a run's troughs.
enum PairwiseBench {
    static func sizes(quick: Bool) -> [Int] { quick ? [1_000, 4_000] : [1_000, 2_000, 4_000] }

    static func run(_ context: BenchContext, into result: inout BenchSuiteResult) {
        result.notes.append("Pairwise statistics per series, in the bench's own process: the slopes at the ranks "
            + "Theil–Sen asks for (the median and Sen's 95% interval) and Kendall's score, on a flat series "
            + "with noise (52 MiB ± 64 KiB, as the synthetic troughs), by inversions (what the analysis "
            + "runs) and by the scan of every pair it replaced; \"same\" says whether every value matched to "
            + "the bit. The analysis fits each judged metric twice (Theil–Sen and Sen's slope for "
            + "Hamed–Rao): 4,000 points is the most it fits, whatever the run's length.")
        var table = BenchTable(title: "Pairwise statistics by points: inversions against every pair", columns: [
            "points", "pairs", "slopes ms (pairs ms)", "score ms (pairs ms)", "ratio", "same"])
        for size in sizes(quick: context.quick) {
            var generator = SplitMix64(seed: UInt64(size))
            let x = (0..<size).map(Double.init)
            let y = x.map { _ in 52_428_800 + Double(generator.next() % 131_072) }
            let slopes = PairwiseSlopes(x: x, y: y)
            let ranks = [(slopes.count - 1) / 2, slopes.count / 2, slopes.count / 2 - slopes.count / 40,
                         slopes.count / 2 + slopes.count / 40]
            var same = true
            func time(_ body: () -> Void) -> [Double] {
                (0..<context.repeats).map { _ in
                    let started = BenchProcess.monotonicSeconds()
                    body()
                    return (BenchProcess.monotonicSeconds() - started) * 1000
                }
            }
            var fast: [Double] = [], scanned: [Double] = []
            let fastSlopes = time { fast = slopes.values(atRanks: ranks) }
            let scanSlopes = time { scanned = slopes.scannedValues(atRanks: ranks) }
            same = same && fast == scanned
            var score = 0, pairScore = 0
            let fastScore = time { score = MannKendallTest.score(y) }
            let scanScore = time { pairScore = MannKendallTest.scoreByPairs(y) }
            same = same && score == pairScore
            let newTime = result.measure("pairwise.\(size).inversions_ms", unit: "ms", zip(fastSlopes, fastScore).map(+))
            let oldTime = result.measure("pairwise.\(size).pairs_ms", unit: "ms", zip(scanSlopes, scanScore).map(+))
            let slopesNew = RepeatStatistics(fastSlopes), slopesOld = RepeatStatistics(scanSlopes)
            let scoreNew = RepeatStatistics(fastScore), scoreOld = RepeatStatistics(scanScore)
            table.rows.append([
                "\(size)", "\(slopes.count)",
                "\(BenchFormat.number(slopesNew.median)) (\(BenchFormat.number(slopesOld.median)))",
                "\(BenchFormat.number(scoreNew.median)) (\(BenchFormat.number(scoreOld.median)))",
                BenchFormat.fixed(oldTime.median / max(newTime.median, 1e-9), decimals: 1) + "x faster",
                same ? "same" : "DIFFERENT"])
        }
        result.tables.append(table)
    }
}
