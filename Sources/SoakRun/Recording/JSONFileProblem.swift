import FoundationEssentials
import PosixSupport

/// Why a JSON file soak wrote cannot be read back, as the end of a sentence: `not valid JSON`,
/// `field cycles_completed: expected a whole number`, `schema 99, where this soak reads 1`.
/// Printing a `DecodingError` itself would show its Swift dump.
package struct JSONFileProblem: Error, CustomStringConvertible, Equatable {
    package var description: String

    package init(_ description: String) { self.description = description }

    /// Decodes `type` from the file at `path`, refusing a schema other than `schema`.
    package static func read<Value: Decodable>(
        _ type: Value.Type, from path: String, schema: Int, schemaOf: (Value) -> Int
    ) throws(JSONFileProblem) -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw JSONFileProblem(FileErrorText.describe(error))
        }
        let value: Value
        do {
            value = try RunFileJSON.decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw JSONFileProblem(describe(error, empty: data.isEmpty))
        } catch {
            throw JSONFileProblem("\(error)")
        }
        let found = schemaOf(value)
        guard found == schema else {
            throw JSONFileProblem("schema \(found), where this soak reads \(schema)"
                + (found > schema ? ": a newer soak wrote it" : ""))
        }
        return value
    }

    static func describe(_ error: DecodingError, empty: Bool) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : "field " + path.map { $0.intValue.map(String.init) ?? $0.stringValue }
                .joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return empty ? "the file is empty" : "not valid JSON"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)): expected \(expectedName(type))"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)): expected \(expectedName(type)), found null"
        @unknown default:
            return "not the JSON expected"
        }
    }

    private static func expectedName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default:
            "\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)".hasPrefix("Array") ? "an array" : "\(type)"
        }
    }
}
