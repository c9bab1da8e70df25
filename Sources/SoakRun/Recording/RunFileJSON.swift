import FoundationEssentials

/// The one spelling of every JSON file soak writes and reads (run.json, status.json,
/// summary.json, baselines, bench.json, `soak analyze` output): pretty, keys sorted so two files
/// diff cleanly as text, ISO 8601 dates, and non-finite numbers as "inf", "-inf" and "nan"
/// (JSON has no literal for them, and an unmeasured figure must not fail the whole file).
package enum RunFileJSON {
    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Writes `value` atomically (temporary file and rename): a reader never sees half a file.
    package static func write(_ value: some Encodable, to path: String) throws {
        try encoder.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
