/// Receives each data row the scanner reads: one value per column (NaN where missing, skipped,
/// or in a column that turned out to hold text) and the row's kind code.
package protocol SampleRowSink {
    /// `values` has one slot per header column and is reused for the next row.
    mutating func consume(_ values: UnsafeMutablePointer<Double>, kind: UInt8)
}

/// Parses the lines of a samples CSV into rows, one buffer of complete lines at a time, so a file
/// of any length is read through one chunk of memory. `SampleTable` stores every row it hands
/// out; the streaming analysis keeps only what its rules need.
///
/// The reading rules are `SampleTable`'s: the header names the columns; a `SampleColumn` field that
/// is not a number is an error naming its line; an unknown column holding text is remembered as
/// text; `kind` holds periodic, trough or nothing; a line with the wrong number of fields is an
/// error; blank lines are skipped. Every buffer given to `scan` must end in a newline.
package struct SampleRowScanner {
    /// What the scanner does with one column's fields.
    package enum Role: Equatable {
        /// A `SampleColumn`: a field that is not a number is an error.
        case strictNumber
        /// Unknown column: numeric until a field says otherwise, then kept only as text.
        case lenientNumber
        case kind
        /// Not needed by this pass (already validated by an earlier one): only stepped over.
        case skip
    }

    package let names: [String]
    package let source: String
    private(set) var roles: [Role]
    /// Columns that turned out not to be numeric, with the first offending line and text.
    package private(set) var textColumns: [String: (line: Int, text: String)] = [:]
    package private(set) var isText: [Bool]
    /// Data rows handed out so far.
    package private(set) var rows = 0
    /// The 1-based number of the last line read (the header is line 1).
    private var line = 1
    private let values: UnsafeMutablePointer<Double>
    /// Per column, whether its fields go to the number parser (a numeric role, not yet text):
    /// `roles` and `isText` folded into one byte the row loop reads without array checks.
    private let parsesNumber: UnsafeMutablePointer<Bool>

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let comma = UInt8(ascii: ",")

    /// Reads the header line (without its newline); `keep` limits which columns are parsed (nil:
    /// all, for a first pass that validates every field).
    package init(header: UnsafeBufferPointer<UInt8>, source: String, keep: Set<String>? = nil) throws {
        let names = Self.headerNames(header)
        guard !(names.count == 1 && names[0].isEmpty) else {
            throw SampleTableError(message: "\(source): empty file or empty header line", line: 1)
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw SampleTableError(message: "\(source): line 1: column \(name) appears twice", line: 1, column: name)
        }
        let known = Set(SampleColumn.allCases.map(\.rawValue))
        self.names = names
        self.source = source
        roles = names.map { name in
            if let keep, !keep.contains(name) { return .skip }
            return name == SampleColumn.kind.rawValue ? .kind : (known.contains(name) ? .strictNumber : .lenientNumber)
        }
        isText = [Bool](repeating: false, count: names.count)
        values = UnsafeMutablePointer<Double>.allocate(capacity: max(names.count, 1))
        parsesNumber = UnsafeMutablePointer<Bool>.allocate(capacity: max(names.count, 1))
        for (column, role) in roles.enumerated() {
            (parsesNumber + column).initialize(to: role == .strictNumber || role == .lenientNumber)
        }
    }

    /// Frees the row buffers; call once when done.
    package func deallocate() {
        values.deallocate()
        parsesNumber.deallocate()
    }

    /// Whether the header has a `kind` column.
    package var hasKindColumn: Bool { names.contains(SampleColumn.kind.rawValue) }

    /// Parses every line of `bytes`, which must end in a newline, handing each row to `sink`.
    package mutating func scan<Sink: SampleRowSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws {
        let limit = bytes.count
        let width = names.count
        var position = 0
        while position < limit {
            line += 1
            if bytes[position] == Self.newline
                || (bytes[position] == Self.carriageReturn && bytes[position + 1] == Self.newline) {
                position += bytes[position] == Self.newline ? 1 : 2
                continue
            }
            var kind: UInt8 = 0
            var field = 0
            var fieldStart = position
            while true {
                guard field < width else {
                    throw fieldCountError(found: Self.fieldCount(bytes, position))
                }
                var delimiter = fieldStart
                if parsesNumber[field], let value = CSVNumber.parseSimple(bytes, fieldStart, delimiter: &delimiter) {
                    values[field] = value
                } else {
                    let role = roles[field]
                    delimiter = Self.nextDelimiter(bytes, from: fieldStart)
                    var fieldEnd = delimiter
                    if bytes[delimiter] == Self.newline, fieldEnd > fieldStart,
                       bytes[fieldEnd - 1] == Self.carriageReturn {
                        fieldEnd -= 1
                    }
                    values[field] = .nan
                    switch role {
                    case .skip:
                        break
                    case .kind:
                        guard let code = Self.kindCode(bytes, fieldStart, fieldEnd) else {
                            throw SampleTableError(
                                message: "\(source): line \(line), column kind: expected periodic or trough, found "
                                    + "\"\(Self.text(bytes, fieldStart, fieldEnd))\"", line: line, column: names[field])
                        }
                        kind = code
                    case .strictNumber, .lenientNumber:
                        if isText[field] { break }
                        switch CSVNumber.parse(bytes, fieldStart, fieldEnd) {
                        case .number(let value): values[field] = value
                        case .missing: break
                        case .invalid:
                            guard role == .lenientNumber else {
                                throw SampleTableError(
                                    message: "\(source): line \(line), column \(names[field]): expected a number, "
                                        + "found \"\(Self.text(bytes, fieldStart, fieldEnd))\"", line: line,
                                    column: names[field])
                            }
                            isText[field] = true
                            parsesNumber[field] = false
                            textColumns[names[field]] = (line, Self.text(bytes, fieldStart, fieldEnd))
                        }
                    }
                }
                field += 1
                if bytes[delimiter] == Self.newline {
                    position = delimiter + 1
                    break
                }
                fieldStart = delimiter + 1
            }
            guard field == width else { throw fieldCountError(found: field) }
            rows += 1
            sink.consume(values, kind: kind)
        }
    }

    private func fieldCountError(found: Int) -> SampleTableError {
        SampleTableError(
            message: "\(source): line \(line): expected \(names.count) fields as in the header, found \(found)",
            line: line)
    }

    /// The `,` or `\n` that ends the field starting at `start` (every line read ends in `\n`).
    @inline(__always)
    private static func nextDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while bytes[index] != comma, bytes[index] != newline { index &+= 1 }
        return index
    }

    /// Fields on the line starting at `start`.
    private static func fieldCount(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var fields = 1
        var index = start
        while bytes[index] != newline {
            if bytes[index] == comma { fields += 1 }
            index += 1
        }
        return fields
    }

    private static func headerNames(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var end = bytes.count
        if end > 0, bytes[end - 1] == carriageReturn { end -= 1 }
        var names: [String] = []
        var fieldStart = 0
        for index in 0...end where index == end || bytes[index] == comma {
            names.append(text(bytes, fieldStart, index))
            fieldStart = index + 1
        }
        // A UTF-8 byte-order mark from a spreadsheet export would otherwise stick to the first name.
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        return names
    }

    /// The field as text, without surrounding spaces and double quotes.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).trimmingQuotes()
    }

    private static func kindCode(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8? {
        let length = end - start
        if length == 0 { return 0 }
        if length == 6, matches(bytes, start, "trough") { return SampleTable.troughCode }
        if length == 8, matches(bytes, start, "periodic") { return SampleTable.periodicCode }
        return nil
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { word in word.indices.allSatisfy { bytes[start + $0] == word[$0] } }
    }
}

extension String {
    /// Drops spaces, tabs and double quotes from both ends (Foundation-free, for messages).
    fileprivate func trimmingQuotes() -> String {
        let set: Set<Character> = [" ", "\"", "\t"]
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
