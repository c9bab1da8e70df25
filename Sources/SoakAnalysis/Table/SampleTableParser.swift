import FoundationEssentials

/// Builds a `SampleTable` in memory: every column of every row, for callers that want the whole
/// table (`soak analyze`'s library users, tests). The judge streams instead (`SampleStreamPass`).
enum SampleTableParser {
    static func parse(_ bytes: SampleBytes) throws -> SampleTable {
        var scanner: SampleRowScanner?
        var sink = ColumnBuffers(columns: 0, capacity: 16)
        defer {
            sink.deallocate()
            scanner?.deallocate()
        }
        let end = try SampleLineReader.read(bytes, header: { header in
            let made = try SampleRowScanner(header: header, source: bytes.source)
            scanner = made
            sink.deallocate()
            sink = ColumnBuffers(columns: made.names.count, capacity: estimatedRows(bytes))
        }, lines: { lines in
            try scanner!.scan(lines, into: &sink)
        })
        guard let scanner else {
            throw SampleTableError(message: "\(bytes.source): empty file or empty header line", line: 1)
        }
        let rows = scanner.rows
        var numeric: [String: [Double]] = [:]
        for (index, name) in scanner.names.enumerated()
        where name != SampleColumn.kind.rawValue && !scanner.isText[index] {
            numeric[name] = Array(UnsafeBufferPointer(start: sink.values[index], count: rows))
        }
        return SampleTable(
            columnNames: scanner.names, rowCount: rows, droppedPartialLastLine: end.droppedPartialLine,
            source: bytes.source, numeric: numeric, textColumns: scanner.textColumns,
            kindCodes: scanner.hasKindColumn ? Array(UnsafeBufferPointer(start: sink.kinds, count: rows)) : nil)
    }

    /// Rows the bytes probably hold: a guess from the size, since the buffers grow when it is short.
    private static func estimatedRows(_ bytes: SampleBytes) -> Int {
        if case .data(let data, _) = bytes { return data.count / 64 + 16 }
        return 1024
    }
}

/// Per-column value buffers and the kind codes, indexed by row, grown together.
private struct ColumnBuffers: SampleRowSink {
    private(set) var values: [UnsafeMutablePointer<Double>]
    private(set) var kinds: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private var rows = 0

    init(columns: Int, capacity: Int) {
        self.capacity = max(capacity, 16)
        values = (0..<columns).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: max(capacity, 16)) }
        kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, 16))
    }

    mutating func consume(_ row: UnsafeMutablePointer<Double>, kind: UInt8) {
        if rows == capacity { grow() }
        for column in values.indices { values[column][rows] = row[column] }
        kinds[rows] = kind
        rows += 1
    }

    /// Half as much room again, keeping every row written so far.
    private mutating func grow() {
        let larger = capacity + capacity / 2
        values = values.map { old in
            let new = UnsafeMutablePointer<Double>.allocate(capacity: larger)
            new.update(from: old, count: capacity)
            old.deallocate()
            return new
        }
        let newKinds = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        newKinds.update(from: kinds, count: capacity)
        kinds.deallocate()
        kinds = newKinds
        capacity = larger
    }

    func deallocate() {
        values.forEach { $0.deallocate() }
        kinds.deallocate()
    }
}
