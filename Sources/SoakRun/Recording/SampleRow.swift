/// One row of `samples.csv`: a value (or nil for missing) per `SampleColumn`.
import SoakAnalysis

package struct SampleRow: Sendable, Equatable {
    private var values: [Double?]
    package var kind: SampleKind = .periodic
    /// Values of the columns metric sources declared, by column name; a column without a value
    /// here is written empty (missing), never zero.
    package var declared: [String: Double] = [:]
    /// What culprit sources read at this sample (types, stacks, classes); written to
    /// `culprits.jsonl`, not to samples.csv, since their names are only known as they appear.
    package var culprits: [CulpritReading] = []

    package init() {
        values = Array(repeating: nil, count: SampleColumn.allCases.count)
    }

    package subscript(column: SampleColumn) -> Double? {
        get { values[SampleRow.index(of: column)] }
        set { values[SampleRow.index(of: column)] = newValue }
    }

    /// The value of a metric's column, built-in or declared.
    package subscript(metric metric: Metric) -> Double? {
        get {
            if let column = SampleColumn(rawValue: metric.columnName) { return self[column] }
            return declared[metric.columnName]
        }
        set {
            if let column = SampleColumn(rawValue: metric.columnName) {
                self[column] = newValue
            } else {
                declared[metric.columnName] = newValue
            }
        }
    }

    /// Sets `column` from an optional integer reading.
    package mutating func set(_ column: SampleColumn, _ value: Int?) {
        self[column] = value.map(Double.init)
    }

    private static let indices: [SampleColumn: Int] = Dictionary(
        uniqueKeysWithValues: SampleColumn.allCases.enumerated().map { ($1, $0) })

    static func index(of column: SampleColumn) -> Int { indices[column]! }

    /// The row as a CSV line with a trailing newline; missing values are empty fields.
    package var csvLine: String { csvLine(declaredColumns: []) }

    /// The row as a CSV line, the harness's columns and then `declaredColumns` in that order.
    package func csvLine(declaredColumns: [String]) -> String {
        var line = ""
        line.reserveCapacity(values.count * 10)
        for (index, column) in SampleColumn.allCases.enumerated() {
            if index > 0 { line.append(",") }
            if column == .kind {
                line.append(kind.rawValue)
            } else if let value = values[index] {
                line.append(SampleRow.format(value))
            }
        }
        for column in declaredColumns {
            line.append(",")
            if let value = declared[column], value.isFinite { line.append(SampleRow.format(value)) }
        }
        line.append("\n")
        return line
    }

    /// Integers print without a fraction; others with up to six decimals.
    package static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let scaled = (value * 1_000_000).rounded() / 1_000_000
        return "\(scaled)"
    }
}
