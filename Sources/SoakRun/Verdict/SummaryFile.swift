import FoundationEssentials

/// Reading and writing `summary.json` (and baselines, which are summaries too).
extension RunSummary {
    /// Writes the summary atomically, keys sorted so two summaries diff cleanly as text.
    package func write(to path: String) throws {
        try RunFileJSON.write(self, to: path)
    }

    /// Reads a summary, refusing a file that is not one or has a schema this version does not know.
    package static func read(from path: String) throws(SummaryFileError) -> RunSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SummaryFileError("\(path): cannot read the file")
        }
        let decoder = RunFileJSON.decoder
        if let probe = try? decoder.decode(SchemaProbe.self, from: data), !RunSummary.readableSchemas.contains(probe.schema) {
            throw SummaryFileError(
                "\(path): summary schema \(probe.schema) is not one this soak reads (\(RunSummary.currentSchema))")
        }
        do {
            return try decoder.decode(RunSummary.self, from: data)
        } catch let error as DecodingError {
            throw SummaryFileError("\(path): not a soak summary: \(SummaryFileError.describe(error))")
        } catch {
            throw SummaryFileError("\(path): not a soak summary: \(error)")
        }
    }

    /// The schema version this build writes. 2 added `culprits`; a schema 1 summary (a baseline
    /// saved before) reads as one without culprits.
    package static let currentSchema = 2
    /// The schema versions this build reads.
    package static let readableSchemas = 1...2

    private struct SchemaProbe: Decodable { var schema: Int }
}

/// A summary file that cannot be used, with the path and what is wrong.
package struct SummaryFileError: Error, CustomStringConvertible {
    package var description: String

    init(_ description: String) { self.description = description }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
