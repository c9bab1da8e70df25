import FoundationEssentials
import SoakUnits

/// A CSV of samples held column by column: `samples.csv` as the harness writes it, or any numeric
/// CSV with a header line (for `soak analyze`).
///
/// Reading rules, chosen for files of runs that may still be running or may have been killed:
/// - the header names the columns; order does not matter and unknown columns are kept;
/// - an empty field (or `nan`) is a missing reading, read as nil, never as zero;
/// - a last line without a newline was cut off mid-write and is dropped
///   (`droppedPartialLastLine` says so), whatever it holds: a cut inside the last field would
///   still parse, as a wrong number;
/// - any other line with the wrong number of fields, or a field that is not a number where one
///   is expected, is an error naming the line and the column;
/// - the `kind` column holds `periodic`, `trough` or nothing. Columns named after a
///   `SampleColumn` must be numeric; other columns may hold text, which is an error only when
///   someone asks for them as numbers; blank lines are skipped.
public struct SampleTable: Sendable {
    /// Column names in file order.
    public let columnNames: [String]
    /// Number of data rows read.
    public let rowCount: Int
    /// True when the file ended in a line without a newline, which was not read.
    public let droppedPartialLastLine: Bool
    /// Where the data came from, for messages.
    public let source: String

    /// Numeric columns by name: NaN marks a missing value (internal sentinel, never exposed).
    package let numeric: [String: [Double]]
    /// Columns that turned out not to be numeric, with the first offending line and text.
    let textColumns: [String: (line: Int, text: String)]
    /// `kind` per row: 0 missing, 1 periodic, 2 trough; nil when there is no `kind` column.
    let kindCodes: [UInt8]?

    static let periodicCode: UInt8 = 1
    static let troughCode: UInt8 = 2

    init(columnNames: [String], rowCount: Int, droppedPartialLastLine: Bool, source: String,
         numeric: [String: [Double]], textColumns: [String: (line: Int, text: String)], kindCodes: [UInt8]?) {
        self.columnNames = columnNames
        self.rowCount = rowCount
        self.droppedPartialLastLine = droppedPartialLastLine
        self.source = source
        self.numeric = numeric
        self.textColumns = textColumns
        self.kindCodes = kindCodes
    }

    /// Reads a CSV file, a chunk of lines at a time: only the table itself is held, never the
    /// file's bytes as well.
    public init(contentsOfFile path: String) throws {
        self = try SampleTableParser.parse(.file(path))
    }

    /// Reads CSV bytes; `source` names them in messages.
    public init(data: Data, source: String = "samples.csv") throws {
        self = try SampleTableParser.parse(.data(data, source: source))
    }

    /// A column of the harness's schema; nil when the file has no such column.
    public func column(_ column: SampleColumn) -> Column? {
        numeric[column.rawValue].map(Column.init)
    }

    /// Any numeric column by name, for `soak analyze`; throws when it is absent or holds text.
    public func column(named name: String) throws -> Column {
        if let values = numeric[name] { return Column(values) }
        if let text = textColumns[name] {
            throw SampleTableError(
                message: "\(source): column \(name) is not numeric: line \(text.line) has \"\(text.text)\"",
                line: text.line, column: name)
        }
        if name == SampleColumn.kind.rawValue, kindCodes != nil {
            throw SampleTableError(message: "\(source): column kind holds sample kinds, not numbers", column: name)
        }
        let known = ClippedText.clip(columnNames.joined(separator: ", "), limit: 200)
        throw SampleTableError(message: "\(source): no column \(name) (columns: \(known))", column: name)
    }

    /// The kind of every row (nil where it is empty); nil when the file has no `kind` column.
    public var kinds: [SampleKind?]? {
        kindCodes?.map { code in
            code == Self.troughCode ? .trough : (code == Self.periodicCode ? .periodic : nil)
        }
    }

    /// One numeric column: a read-only collection of optional values, nil where missing.
    public struct Column: RandomAccessCollection, Sendable {
        /// NaN marks a missing value: a flat buffer of doubles is 2x smaller and faster to scan
        /// than one of optionals, and no reading is ever NaN.
        let storage: [Double]

        init(_ storage: [Double]) { self.storage = storage }

        /// Index of the first row (0).
        public var startIndex: Int { 0 }
        /// One past the last row.
        public var endIndex: Int { storage.count }
        /// The value at `row`, or nil when it is missing.
        public subscript(row: Int) -> Double? {
            let value = storage[row]
            return value.isNaN ? nil : value
        }
        /// True when no row has a value.
        public var isEntirelyMissing: Bool { storage.allSatisfy(\.isNaN) }
    }
}
