/// The output of `jcmd <pid> GC.class_histogram`: per class, its live instances and their bytes
/// (the command collects garbage first, so these are live objects).
///
///      num     #instances         #bytes  class name (module)
///     -------------------------------------------------------
///        1:         21289        1382560  [B (java.base@17.0.15)
///       12:           300          81600  Main$SessionRecord
package struct ClassHistogram: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var className: String
        package var instances: Double
        package var bytes: Double
    }

    package var rows: [Row]

    /// Parses the text; rows that do not read as `N: instances bytes name` are skipped (the pid
    /// line, the header, the total).
    package init(parsing text: String) {
        rows = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, fields[0].hasSuffix(":"), Int(fields[0].dropLast()) != nil,
                  let instances = Double(fields[1]), let bytes = Double(fields[2])
            else { return nil }
            // The module in parentheses is not part of the name; a class name has no space.
            return Row(className: String(fields[3]), instances: instances, bytes: bytes)
        }
    }

    /// The `limit` classes holding the most bytes, as a `classes` culprit reading.
    package func reading(limit: Int = 200) -> CulpritReading {
        let top = rows.sorted { $0.bytes > $1.bytes }.prefix(limit)
        var values: [String: Double] = [:]
        var counts: [String: Double] = [:]
        for row in top {
            values[row.className, default: 0] += row.bytes
            counts[row.className, default: 0] += row.instances
        }
        return CulpritReading(source: .classes, unit: .bytes, values: values, counts: counts)
    }
}
