/// The first pass over a samples CSV: every row once, for the digest and each metric's series.
struct StreamFirstPass: SampleRowSink {
    private let names: [String]
    private let width: Int
    private let time: Int?
    private let cycle: Int?
    /// Per metric (in options order), its column; nil when the file has none.
    private let metricColumns: [Int?]
    /// The metrics the file has, as (metric, column) pairs: the row loop skips absent ones for free.
    private let presentMetrics: [(metric: Int, column: Int)]
    private let chartColumns: [(name: String, index: Int)]
    /// `chartColumns`' indices alone: the row loop then copies no name (a retain and a release each).
    private let chartIndices: [Int]
    /// Columns that have had no value yet: once none is left, rows no longer look for values.
    private var columnsWithoutValue: Int
    private var hasValue: [Bool]
    private var negatives: [Int]
    private var firstT = Double.infinity
    private var lastT = -Double.infinity
    private var lastCycle = -Double.infinity
    private var charts: [SampleDigest.Chart]
    /// Per metric: trough and periodic series, and the highest value.
    var troughs: [SeriesTap]
    var periodic: [SeriesTap]
    var peaks: [Double]

    /// `heldLimit` points are held per trough series and `periodicHeldLimit` (nil: the same) per
    /// periodic one; `reserving` allocates their storage up front (see `SeriesTap`).
    init(
        names: [String], metrics: [Metric], charting: [String], heldLimit: Int, periodicHeldLimit: Int? = nil,
        reserving: Bool = false
    ) {
        self.names = names
        width = names.count
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        time = index[SampleColumn.simSeconds.rawValue]
        cycle = index[SampleColumn.cycle.rawValue]
        let kind = SampleColumn.kind.rawValue
        metricColumns = metrics.map { $0.columnName == kind ? nil : index[$0.columnName] }
        presentMetrics = metricColumns.enumerated().compactMap { metric, column in column.map { (metric, $0) } }
        chartColumns = charting.compactMap { name in name == kind ? nil : index[name].map { (name, $0) } }
        chartIndices = chartColumns.map(\.index)
        hasValue = [Bool](repeating: false, count: names.count)
        // The kind column is never numeric (its slot is always NaN) and never reported: counting it
        // as seen lets the search for values stop once every other column has one.
        if let kind = index[kind] { hasValue[kind] = true }
        columnsWithoutValue = hasValue.lazy.filter { !$0 }.count
        negatives = [Int](repeating: 0, count: names.count)
        charts = chartColumns.map { _ in SampleDigest.Chart(reserving: reserving) }
        // One tap each: a repeated one would share its reserved storage until the first add.
        troughs = metrics.map { _ in SeriesTap(heldLimit: heldLimit, reserving: reserving) }
        periodic = metrics.map { _ in
            SeriesTap(heldLimit: periodicHeldLimit ?? heldLimit, reserving: reserving)
        }
        peaks = [Double](repeating: -.infinity, count: metrics.count)
    }

    mutating func consume(_ row: UnsafeMutablePointer<Double>, kind: UInt8) {
        // Every row passes here (a million for an 11-day run at 1 Hz): the per-column facts go
        // through the arrays' storage directly rather than a checked subscript per column.
        let width = width
        if columnsWithoutValue > 0 {
            let found = hasValue.withUnsafeMutableBufferPointer { hasValue in
                var found = 0
                for column in 0..<width where !hasValue[column] && !row[column].isNaN {
                    hasValue[column] = true
                    found += 1
                }
                return found
            }
            columnsWithoutValue -= found
        }
        negatives.withUnsafeMutableBufferPointer { negatives in
            for column in 0..<width where row[column] < 0 { negatives[column] += 1 }
        }
        let t = time.map { row[$0] } ?? .nan
        if t < firstT { firstT = t }
        if t > lastT { lastT = t }
        let c = cycle.map { row[$0] } ?? .nan
        if SampleDigest.isPlausibleCycle(c), c > lastCycle { lastCycle = c }
        let isTrough = kind == SampleTable.troughCode
        if isTrough {
            troughs.withUnsafeMutableBufferPointer { taps in
                for (metric, column) in presentMetrics {
                    let y = row[column]
                    if y.isNaN { continue }
                    if y > peaks[metric] { peaks[metric] = y }
                    // A trough without its cycle number cannot be placed on the per-cycle axis.
                    if !t.isNaN, !c.isNaN { taps[metric].add(SeriesPoint(x: c, t: t, y: y)) }
                }
            }
        } else {
            periodic.withUnsafeMutableBufferPointer { taps in
                for (metric, column) in presentMetrics {
                    let y = row[column]
                    if y.isNaN { continue }
                    if y > peaks[metric] { peaks[metric] = y }
                    if !t.isNaN { taps[metric].add(SeriesPoint(x: t, t: t, y: y)) }
                }
            }
        }
        guard !t.isNaN else { return }
        let chartIndices = chartIndices
        charts.withUnsafeMutableBufferPointer { charts in
            for chart in chartIndices.indices {
                let y = row[chartIndices[chart]]
                if isTrough {
                    if !y.isNaN { charts[chart].troughs.add(x: t, y: y) }
                } else {
                    charts[chart].periodic.add(x: t, y: y)
                }
            }
        }
    }

    /// The digest, once every row was read; `isText` marks columns that turned out to hold text.
    func digest(source: String, rows: Int, isText: [Bool]) -> SampleDigest {
        var digest = SampleDigest(source: source, columnNames: names)
        digest.rowCount = rows
        let kind = SampleColumn.kind.rawValue
        for index in 0..<width where !isText[index] && names[index] != kind {
            digest.numericColumns[names[index]] = hasValue[index]
            digest.negativeCounts[names[index]] = negatives[index]
        }
        if firstT <= lastT {
            digest.firstSimSeconds = firstT
            digest.lastSimSeconds = lastT
        }
        if lastCycle >= 0 { digest.lastCycle = lastCycle }
        for (chart, column) in chartColumns.enumerated() where digest.hasValue(column.name) {
            digest.charts[column.name] = charts[chart]
        }
        return digest
    }

    /// A row of a later pass, for the series of `metrics` still being rebuilt.
    @inline(__always)
    mutating func rescan(_ row: UnsafeMutablePointer<Double>, kind: UInt8, metrics: [Int]) {
        let t = time.map { row[$0] } ?? .nan
        if t.isNaN { return }
        let c = cycle.map { row[$0] } ?? .nan
        let isTrough = kind == SampleTable.troughCode
        for metric in metrics {
            guard let column = metricColumns[metric] else { continue }
            let y = row[column]
            if y.isNaN { continue }
            if isTrough {
                if !c.isNaN { troughs[metric].rescan(SeriesPoint(x: c, t: t, y: y)) }
            } else {
                periodic[metric].rescan(SeriesPoint(x: t, t: t, y: y))
            }
        }
    }
}

/// A later pass: only the series still being rebuilt read the rows.
struct StreamLaterPass: SampleRowSink {
    var first: StreamFirstPass
    private let active: [Int]

    init(first: StreamFirstPass, active: [Int]) {
        self.first = first
        self.active = active
    }

    mutating func consume(_ row: UnsafeMutablePointer<Double>, kind: UInt8) {
        first.rescan(row, kind: kind, metrics: active)
    }
}
