import SoakUnits

/// `soak analyze FILE --y COLUMN` without holding the file: a first pass validates every line and
/// counts the usable points (holding them while few), a second, only for long series, buckets
/// them by median as they come, once the warm-up (a count of points) is known.
///
/// Gives the same `SeriesAnalysis` as `SeriesAnalysis.analyze(SampleTable(...), ...)`.
package enum SeriesStream {
    /// Points held before the series is bucketed by a second pass instead (~5 MiB).
    static let heldLimit = 200_000

    package static func analyze(
        _ bytes: SampleBytes, y yName: String, x xName: String? = nil,
        options: SeriesAnalysis.Options = SeriesAnalysis.Options(), heldLimit: Int = heldLimit
    ) throws -> SeriesAnalysis {
        var scanner: SampleRowScanner?
        var first = SeriesFirstPass(heldLimit: heldLimit)
        defer { scanner?.deallocate() }
        let end = try SampleLineReader.read(bytes, header: { header in
            scanner = try SampleRowScanner(header: header, source: bytes.source)
            first.y = scanner!.names.firstIndex(of: yName)
            first.x = xName.flatMap { scanner!.names.firstIndex(of: $0) }
        }, lines: { lines in
            try scanner!.scan(lines, into: &first)
        })
        guard let scanner else {
            throw SampleTableError(message: "\(bytes.source): empty file or empty header line", line: 1)
        }
        try check(yName, scanner)
        if let xName { try check(xName, scanner) }
        let dropped = options.warmup.dropped(of: first.count)
        let missing = scanner.rows - first.count
        if let held = first.held {
            let steady = SeriesSelector.inOrder(Array(held.dropFirst(dropped)))
            return SeriesAnalysis.judge(y: yName, x: xName, MedianBuckets.reduce(steady, to: options.maxPoints),
                                        dropped: dropped, missing: missing, options: options)
        }
        var second = SeriesSecondPass(first: first, skip: dropped, limit: options.maxPoints)
        var keep: Set<String> = [yName]
        if let xName { keep.insert(xName) }
        var rescanner: SampleRowScanner?
        defer { rescanner?.deallocate() }
        _ = try SampleLineReader.read(bytes, limit: end.completeBytes, header: { header in
            rescanner = try SampleRowScanner(header: header, source: bytes.source, keep: keep)
        }, lines: { lines in
            try rescanner!.scan(lines, into: &second)
        })
        return SeriesAnalysis.judge(y: yName, x: xName, second.reduced, dropped: dropped, missing: missing,
                                    options: options)
    }

    /// The errors `SampleTable.column(named:)` gives for a column that is absent or not numeric.
    private static func check(_ name: String, _ scanner: SampleRowScanner) throws {
        let source = scanner.source
        if let text = scanner.textColumns[name] {
            throw SampleTableError(
                message: "\(source): column \(name) is not numeric: line \(text.line) has \"\(ClippedText.clip(text.text, limit: 80))\"",
                line: text.line, column: name)
        }
        if name == SampleColumn.kind.rawValue, scanner.hasKindColumn {
            throw SampleTableError(message: "\(source): column kind holds sample kinds, not numbers", column: name)
        }
        guard scanner.names.contains(name) else {
            let known = ClippedText.clip(scanner.names.joined(separator: ", "), limit: 200)
            throw SampleTableError(message: "\(source): no column \(name) (columns: \(known))", column: name)
        }
    }
}

/// Counts the usable points (x and y present), holding them while there are few.
private struct SeriesFirstPass: SampleRowSink {
    let heldLimit: Int
    var y: Int?
    var x: Int?
    var row = 0
    var count = 0
    var sorted = true
    private var lastX = -Double.infinity
    var held: [SeriesPoint]? = []

    init(heldLimit: Int) { self.heldLimit = heldLimit }

    /// The point of a row: x is the x column or the 0-based row index.
    @inline(__always)
    static func point(_ values: UnsafeMutablePointer<Double>, row: Int, x: Int?, y: Int?) -> SeriesPoint? {
        guard let y, !values[y].isNaN else { return nil }
        let position = x.map { values[$0] } ?? Double(row)
        guard !position.isNaN else { return nil }
        return SeriesPoint(x: position, t: position, y: values[y])
    }

    mutating func consume(_ values: UnsafeMutablePointer<Double>, kind: UInt8) {
        defer { row += 1 }
        guard let point = Self.point(values, row: row, x: x, y: y) else { return }
        count += 1
        if point.x < lastX { sorted = false }
        lastX = point.x
        guard held != nil else { return }
        if count > heldLimit { held = nil } else { held!.append(point) }
    }
}

/// Buckets the steady points as they come; points out of x order are held and sorted instead.
private struct SeriesSecondPass: SampleRowSink {
    private let x: Int?
    private let y: Int?
    private var skip: Int
    private let limit: Int
    private var row = 0
    private var buckets: StreamingMedianBuckets?
    private var unsorted: [SeriesPoint]?

    init(first: SeriesFirstPass, skip: Int, limit: Int) {
        (x, y, self.skip, self.limit) = (first.x, first.y, skip, limit)
        if first.sorted {
            buckets = StreamingMedianBuckets(count: first.count - skip, limit: limit)
        } else {
            unsorted = []
        }
    }

    mutating func consume(_ values: UnsafeMutablePointer<Double>, kind: UInt8) {
        defer { row += 1 }
        guard let point = SeriesFirstPass.point(values, row: row, x: x, y: y) else { return }
        if skip > 0 {
            skip -= 1
        } else if unsorted != nil {
            unsorted!.append(point)
        } else {
            buckets?.add(point)
        }
    }

    var reduced: (points: [SeriesPoint], bucketSize: Int) {
        if let unsorted { return MedianBuckets.reduce(SeriesSelector.inOrder(unsorted), to: limit) }
        return (buckets?.points ?? [], buckets?.bucketSize ?? 1)
    }
}
