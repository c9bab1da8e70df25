/// The first pass of the streamed analysis, fed whole lines of a samples CSV as they come: from a
/// file by `SampleStream` (`soak report`), or from the harness as it writes each row (`soak run`),
/// so both judge one record through one code path.
///
/// Memory is bounded whatever the length of the run: per metric it holds the trough and periodic
/// points only up to `heldLimit` each, then only counts them (`SeriesTap`); the digest keeps
/// bounded charts and per-column facts. A series that outgrew the limit is rebuilt by later passes
/// over the file (`SampleStream.analyze`); the verdict is the same whatever the limit.
package final class SampleAccumulator {
    /// Where the lines come from, for messages.
    package let source: String
    /// The metrics whose series are kept, in the analysis options' order.
    package let metrics: [Metric]
    /// The columns charted in the digest.
    package let charting: [String]
    private var scanner: SampleRowScanner
    private(set) var pass: StreamFirstPass
    /// Bytes taken so far: the header, its newline and every line (a later pass reads this far).
    package private(set) var bytesRead: Int

    /// Points held per series when the caller names no limit: ~10 MiB in all.
    static func defaultHeldLimit(metrics: Int) -> Int {
        max(4096, SampleStream.heldPointBudget / max(1, 2 * metrics))
    }

    /// How many points each series holds before it only counts them.
    package struct Holding: Sendable {
        /// Per trough series.
        package var troughs: Int
        /// Per periodic series.
        package var periodic: Int
        /// Whether their storage is allocated and touched up front, so that the holder's resident
        /// memory stays flat while the series fill (the harness, whose RSS is judged).
        package var reserved: Bool

        package init(troughs: Int, periodic: Int, reserved: Bool = false) {
            self.troughs = troughs
            self.periodic = periodic
            self.reserved = reserved
        }
    }

    /// Starts from the header line (without its newline). `heldLimit` replaces the points held
    /// per series (a long-lived harness keeps a small one; tests force later passes with it).
    package convenience init(
        header: UnsafeBufferPointer<UInt8>, source: String, metrics: [Metric], charting: [String],
        heldLimit: Int? = nil
    ) throws {
        // Troughs, one a cycle, are held far longer than periodic points (see
        // `SampleStream.heldTroughBudget`), so a long run is judged in one pass over its file.
        let periodic = heldLimit ?? Self.defaultHeldLimit(metrics: metrics.count)
        let troughs = heldLimit ?? max(4096, SampleStream.heldTroughBudget / max(1, metrics.count))
        self.init(
            scanner: try SampleRowScanner(header: header, source: source), headerBytes: header.count,
            metrics: metrics, charting: charting, holding: Holding(troughs: troughs, periodic: periodic))
    }

    /// Starts from a header line given as text (without its newline), as the harness writes it.
    package convenience init(
        header: String, source: String, metrics: [Metric], charting: [String], holding: Holding
    ) throws {
        var text = header
        let scanner = try text.withUTF8 { try SampleRowScanner(header: $0, source: source) }
        self.init(
            scanner: scanner, headerBytes: text.utf8.count, metrics: metrics, charting: charting, holding: holding)
    }

    private init(
        scanner: SampleRowScanner, headerBytes: Int, metrics: [Metric], charting: [String], holding: Holding
    ) {
        source = scanner.source
        self.metrics = metrics
        self.charting = charting
        self.scanner = scanner
        pass = StreamFirstPass(
            names: scanner.names, metrics: metrics, charting: charting, heldLimit: holding.troughs,
            periodicHeldLimit: holding.periodic, reserving: holding.reserved)
        bytesRead = headerBytes + 1
    }

    deinit { scanner.deallocate() }

    /// Takes whole lines, each ending in a newline. Throws as the file's reading would (a field
    /// that is not a number, a line with the wrong number of fields), naming the line.
    package func add(lines: UnsafeBufferPointer<UInt8>) throws {
        try scanner.scan(lines, into: &pass)
        bytesRead += lines.count
    }

    /// Takes one or more whole lines given as text, each ending in a newline.
    package func add(lines text: String) throws {
        var text = text
        try text.withUTF8 { try add(lines: $0) }
    }

    /// Data rows taken so far.
    package var rows: Int { scanner.rows }

    /// What the rows so far hold: the evidence facts and the charts.
    package var digest: SampleDigest {
        pass.digest(source: source, rows: scanner.rows, isText: scanner.isText)
    }
}
