/// The first pass over a samples CSV: every row once, for the digest and each metric's series.
struct StreamFirstPass: SampleRowSink {
    private let names: [String]
    private let width: Int
    private let time: Int?
    private let cycle: Int?
    /// Per metric (in options order), its column; nil when the file has none.
    private let metricColumns: [Int?]
    private let chartColumns: [(name: String, index: Int)]
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
    /// periodic one.
    init(names: [String], metrics: [Metric], charting: [String], heldLimit: Int, periodicHeldLimit: Int? = nil) {
        self.names = names
        width = names.count
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        time = index[SampleColumn.simSeconds.rawValue]
        cycle = index[SampleColumn.cycle.rawValue]
        let kind = SampleColumn.kind.rawValue
        metricColumns = metrics.map { $0.columnName == kind ? nil : index[$0.columnName] }
        chartColumns = charting.compactMap { name in name == kind ? nil : index[name].map { (name, $0) } }
        hasValue = [Bool](repeating: false, count: names.count)
        negatives = [Int](repeating: 0, count: names.count)
        charts = [SampleDigest.Chart](repeating: SampleDigest.Chart(), count: chartColumns.count)
        troughs = [SeriesTap](repeating: SeriesTap(heldLimit: heldLimit), count: metrics.count)
        periodic = [SeriesTap](repeating: SeriesTap(heldLimit: periodicHeldLimit ?? heldLimit), count: metrics.count)
        peaks = [Double](repeating: -.infinity, count: metrics.count)
    }

    mutating func consume(_ row: UnsafeMutablePointer<Double>, kind: UInt8) {
        for column in 0..<width {
            let value = row[column]
            if !hasValue[column], !value.isNaN { hasValue[column] = true }
            if value < 0 { negatives[column] += 1 }
        }
        let t = time.map { row[$0] } ?? .nan
        if t < firstT { firstT = t }
        if t > lastT { lastT = t }
        let c = cycle.map { row[$0] } ?? .nan
        if SampleDigest.isPlausibleCycle(c), c > lastCycle { lastCycle = c }
        let isTrough = kind == SampleTable.troughCode
        for metric in metricColumns.indices {
            guard let column = metricColumns[metric] else { continue }
            let y = row[column]
            if y.isNaN { continue }
            if y > peaks[metric] { peaks[metric] = y }
            if t.isNaN { continue }
            if isTrough {
                // A trough without its cycle number cannot be placed on the per-cycle axis.
                if !c.isNaN { troughs[metric].add(SeriesPoint(x: c, t: t, y: y)) }
            } else {
                periodic[metric].add(SeriesPoint(x: t, t: t, y: y))
            }
        }
        guard !t.isNaN else { return }
        for chart in chartColumns.indices {
            let y = row[chartColumns[chart].index]
            if isTrough {
                if !y.isNaN { charts[chart].troughs.add(x: t, y: y) }
            } else {
                charts[chart].periodic.add(x: t, y: y)
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
