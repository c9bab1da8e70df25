import Dispatch

/// A run's samples judged by streaming the CSV: the first pass validates every line, keeps the
/// digest (evidence facts, charts) and each metric's troughs; later passes, only when a metric's
/// series is too long to hold, rebuild it from the lines the first pass read. Memory stays bounded
/// by the charts, the held troughs and one chunk of lines, whatever the length of the run.
///
/// Gives the same `LeakAnalysis` as `LeakAnalysis.analyze(SampleTable(...), options:)`.
package struct SampleStream {
    /// Points held per series before it is rebuilt by later passes instead: half of this over twice
    /// the metrics (~5 MiB of periodic points in all). Periodic samples are most of the rows, so a
    /// long run never holds them.
    static let heldPointBudget = 400_000
    /// Trough points held per run (shared by the metrics): ~14 MiB. One trough per cycle is few
    /// enough to hold for runs of up to about 75,000 cycles, ten million rows at 180 rows per cycle,
    /// which are then judged in one pass instead of three over the file.
    static let heldTroughBudget = 600_000

    package private(set) var digest: SampleDigest
    private let bytes: SampleBytes
    private let completeBytes: Int
    private let options: AnalysisOptions
    private var first: StreamFirstPass

    /// Reads `bytes` once: validates every line (an error names it), gathers the digest with
    /// charts of `charting` columns, and each metric of `options` as far as it can be held.
    /// `heldLimit` replaces the points held per series (tests force the later passes with it).
    package init(_ bytes: SampleBytes, options: AnalysisOptions, charting: [String], heldLimit: Int? = nil) throws {
        var accumulator: SampleAccumulator?
        let end = try SampleLineReader.read(bytes, header: { header in
            accumulator = try SampleAccumulator(
                header: header, source: bytes.source, metrics: options.metrics, charting: charting,
                heldLimit: heldLimit)
        }, lines: { lines in
            try accumulator!.add(lines: lines)
        })
        guard let accumulator else {
            throw SampleTableError(message: "\(bytes.source): empty file or empty header line", line: 1)
        }
        self.init(accumulator, options: options, rereading: bytes, completeBytes: end.completeBytes)
        digest.droppedPartialLastLine = end.droppedPartialLine
    }

    /// The samples a first pass already took (the harness's, fed as it wrote each row): only a
    /// series that outgrew the accumulator's limit has later passes, which read `bytes` up to
    /// `completeBytes` (nil: as far as the accumulator read). `options` must judge the metrics
    /// the accumulator kept, in its order.
    package init(
        _ accumulator: SampleAccumulator, options: AnalysisOptions, rereading bytes: SampleBytes,
        completeBytes: Int? = nil
    ) {
        precondition(options.metrics == accumulator.metrics, "the accumulator kept other metrics")
        self.bytes = bytes
        self.options = options
        self.completeBytes = completeBytes ?? accumulator.bytesRead
        first = accumulator.pass
        digest = accumulator.digest
    }

    /// Judges every metric, reading the file again where a series was too long to hold. Throws
    /// as `LeakAnalysis.analyze` does: unusable options, or no simulated time at all.
    package mutating func analyze() throws -> LeakAnalysis {
        guard options.cycleIntervalSeconds > 0, options.cycleIntervalSeconds.isFinite else {
            throw SampleTableError(message: "analysis: the cycle interval must be a positive duration")
        }
        let time = SampleColumn.simSeconds.rawValue
        guard digest.hasValue(time), let firstT = digest.firstSimSeconds, let lastT = digest.lastSimSeconds else {
            throw SampleTableError(
                message: "\(digest.source): no \(time) values: nothing to put on a time axis", column: time)
        }
        let steadyStart: Double
        switch options.warmup {
        case .fraction(let fraction): steadyStart = firstT + fraction * (lastT - firstT)
        case .duration(let duration): steadyStart = firstT + duration.analysisSeconds
        }
        let judged = options.metrics.indices.filter { digest.hasValue(options.metrics[$0].columnName) }
        for index in judged {
            first.troughs[index].startSteadyWindow(at: steadyStart)
            first.periodic[index].startSteadyWindow(at: steadyStart)
            // Enough troughs already held decide the series: the periodic samples need no count.
            if first.troughs[index].held != nil, first.troughs[index].steadyCount >= options.minimumPoints {
                first.periodic[index].discard()
            }
        }
        try passAgain(judged)
        for index in judged {
            let troughs = first.troughs[index].steadyCount, periodic = first.periodic[index].steadyCount
            let useTroughs = troughs >= options.minimumPoints || troughs > periodic
            if useTroughs {
                first.periodic[index].discard()
                _ = first.troughs[index].choose(source: .troughs, limit: options.maxTroughPoints)
            } else {
                first.troughs[index].discard()
                _ = first.periodic[index].choose(source: .periodic, limit: options.maxPoints)
            }
        }
        while judged.contains(where: { first.troughs[$0].needsPass || first.periodic[$0].needsPass }) {
            try passAgain(judged)
        }
        let chosen = judged.map { index in
            (options.metrics[index], (first.troughs[index].selection ?? first.periodic[index].selection)!,
             first.peaks[index].isFinite ? first.peaks[index] : nil)
        }
        return LeakAnalysis(
            metrics: LeakAnalysis.analyze(chosen, options: options), rows: digest.rowCount,
            droppedPartialLastLine: digest.droppedPartialLastLine, steadyStartSeconds: steadyStart)
    }

    /// One more pass over the lines the first pass read, for the series that need it.
    private mutating func passAgain(_ judged: [Int]) throws {
        let active = judged.filter { first.troughs[$0].needsPass || first.periodic[$0].needsPass }
        guard !active.isEmpty else { return }
        for index in active {
            first.troughs[index].beginPass()
            first.periodic[index].beginPass()
        }
        var keep: Set<String> = [SampleColumn.simSeconds.rawValue, SampleColumn.cycle.rawValue, SampleColumn.kind.rawValue]
        for index in active { keep.insert(options.metrics[index].columnName) }
        var scanner: SampleRowScanner?
        defer { scanner?.deallocate() }
        let names = digest.columnNames
        let source = bytes.source
        var pass = StreamLaterPass(first: first, active: active)
        _ = try SampleLineReader.read(bytes, limit: completeBytes, header: { header in
            let made = try SampleRowScanner(header: header, source: source, keep: keep)
            guard made.names == names else {
                throw SampleTableError(message: "\(source): the header changed while the file was being read")
            }
            scanner = made
        }, lines: { lines in
            try scanner!.scan(lines, into: &pass)
        })
        first = pass.first
        let limits = (options.maxTroughPoints, options.maxPoints)
        for index in active {
            _ = first.troughs[index].endPass(limit: limits.0)
            _ = first.periodic[index].endPass(limit: limits.1)
        }
    }
}
