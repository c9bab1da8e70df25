/// What one streamed pass over a samples CSV learns besides the leak analysis: the facts the
/// judge's evidence rules check and the charts a report draws, in memory that does not grow with
/// the file.
package struct SampleDigest: Sendable {
    /// One column's chart: periodic samples (NaN gaps where a reading is missing) and troughs.
    package struct Chart: Sendable {
        package var periodic = ChartEnvelope()
        package var troughs = ChartEnvelope()

        package init() {}

        /// A chart whose envelopes allocate their storage up front (see `ChartEnvelope`).
        package init(reserving: Bool) {
            periodic = ChartEnvelope(reserving: reserving)
            troughs = ChartEnvelope(reserving: reserving)
        }
    }

    /// Where the samples came from, for messages.
    package var source: String
    /// Column names in file order.
    package var columnNames: [String]
    /// Data rows read.
    package var rowCount = 0
    /// True when the file ended in a cut-off line, which was not read.
    package var droppedPartialLastLine = false
    /// Numeric columns (not `kind`, not text) and whether any row has a value in them.
    package var numericColumns: [String: Bool] = [:]
    /// Per numeric column, the values below zero (no reading of the harness's own is negative).
    package var negativeCounts: [String: Int] = [:]
    /// The earliest and latest simulated second of any row; nil when no row has one.
    package var firstSimSeconds: Double?
    package var lastSimSeconds: Double?
    /// The highest cycle number of any row (among plausible ones: finite, 0 ≤ c < 1e12).
    package var lastCycle: Double?
    /// Charts of the columns asked for, by column name; only columns with a value.
    package var charts: [String: Chart] = [:]

    package init(source: String, columnNames: [String]) {
        self.source = source
        self.columnNames = columnNames
    }

    /// Whether the file has `name` as a numeric column (present, not text, not `kind`).
    package func hasNumericColumn(_ name: String) -> Bool { numericColumns[name] != nil }

    /// How many values of column `name` are below zero; 0 when it has none or no such column.
    package func negativeValues(_ name: String) -> Int { negativeCounts[name] ?? 0 }

    /// Whether some row has a value in column `name`.
    package func hasValue(_ name: String) -> Bool { numericColumns[name] ?? false }
}

extension SampleDigest {
    /// The digest of a table already in memory (tests, and report writers given one).
    package init(table: SampleTable, charting columns: [String]) {
        self.init(source: table.source, columnNames: table.columnNames)
        rowCount = table.rowCount
        droppedPartialLastLine = table.droppedPartialLastLine
        for (name, values) in table.numeric {
            numericColumns[name] = values.contains { !$0.isNaN }
            negativeCounts[name] = values.lazy.filter { $0 < 0 }.count
        }
        if let time = table.numeric[SampleColumn.simSeconds.rawValue] {
            firstSimSeconds = time.lazy.filter(\.isFinite).min()
            lastSimSeconds = time.lazy.filter(\.isFinite).max()
        }
        lastCycle = table.numeric[SampleColumn.cycle.rawValue]?.lazy.filter(Self.isPlausibleCycle).max()
        guard let time = table.numeric[SampleColumn.simSeconds.rawValue] else { return }
        for name in columns where hasValue(name) {
            guard let values = table.numeric[name] else { continue }
            var chart = Chart()
            for row in values.indices where time[row].isFinite {
                if table.kindCodes?[row] == SampleTable.troughCode {
                    if !values[row].isNaN { chart.troughs.add(x: time[row], y: values[row]) }
                } else {
                    chart.periodic.add(x: time[row], y: values[row])
                }
            }
            charts[name] = chart
        }
    }

    /// A cycle number the evidence rules can count on (and turn into an `Int` without trapping).
    @inline(__always)
    static func isPlausibleCycle(_ cycle: Double) -> Bool { cycle.isFinite && cycle >= 0 && cycle < 1e12 }
}
