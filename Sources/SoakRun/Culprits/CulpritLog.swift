import FoundationEssentials
import SoakAnalysis

/// Reads `culprits.jsonl` back into one series per culprit (a type, a stack, a class).
///
/// A name missing from a reading of its source, after that source's first reading, counts as
/// zero: a stack whose allocations were all freed, or a class with no instances left, drops out
/// of the table the target publishes. A cut-off or unreadable line is skipped, as in samples.csv.
package enum CulpritLog {
    private struct Line: Decodable {
        var kind: SampleKind
        var cycle: Double?
        var simSeconds: Double?
        var source: CulpritSource
        var unit: MetricUnit
        var values: [String: Double]

        enum CodingKeys: String, CodingKey {
            case kind, cycle, source, unit, values
            case simSeconds = "sim_seconds"
        }
    }

    /// The series in `path`; empty when the file is absent. `frames` gives a stack id's frames.
    package static func read(_ path: String, frames: [String: [String]] = [:]) -> [CulpritSeries] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        var lines: [Line] = []
        for text in data.split(separator: UInt8(ascii: "\n")) {
            if let line = try? decoder.decode(Line.self, from: Data(text)) { lines.append(line) }
        }
        return series(from: lines, frames: frames)
    }

    private static func series(from lines: [Line], frames: [String: [String]]) -> [CulpritSeries] {
        var result: [CulpritSeries] = []
        for source in CulpritSource.allCases {
            let readings = lines.filter { $0.source == source && $0.simSeconds != nil }
            guard let first = readings.first else { continue }
            // Troughs when the source read at troughs: x counts cycles, as for the metrics.
            let onCycles = first.kind == .trough && readings.allSatisfy { $0.cycle != nil }
            let names = Set(readings.flatMap { $0.values.keys })
            for name in names.sorted() {
                let points = readings.map { reading in
                    let t = reading.simSeconds!
                    return SeriesPoint(x: onCycles ? reading.cycle! : t, t: t, y: reading.values[name] ?? 0)
                }
                result.append(CulpritSeries(
                    source: source, name: name, unit: first.unit, points: points, onCycles: onCycles,
                    frames: frames[name] ?? []))
            }
        }
        return result
    }
}
