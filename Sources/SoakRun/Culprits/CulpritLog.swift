import PosixSupport
import FoundationEssentials
import SoakAnalysis
import SoakProfiles

/// Reads `culprits.jsonl` back into one series per culprit (a type, a stack, a class).
///
/// A name missing from a reading of its source, after that source's first reading, counts as
/// zero: a stack whose allocations were all freed, or a class with no instances left, drops out
/// of the table the target publishes. A cut-off or unreadable line is skipped, as in samples.csv.
package enum CulpritLog {
    private struct Line {
        var kind: SampleKind
        var cycle: Double?
        var simSeconds: Double?
        var source: CulpritSource
        var unit: MetricUnit
        var values: [String: Double]

        /// The reading on one line; nil for anything else (damage). Read with the profile's JSON
        /// reader rather than `JSONDecoder`, which took 5% of a stepped run's CPU at its end
        /// (a reading per trough, thousands of them).
        init?(_ text: ArraySlice<UInt8>) {
            var parser = ProfileJSONParser(bytes: Array(text))
            guard let document = try? parser.parseDocument(), case .object(let members) = document.kind else { return nil }
            var kind: SampleKind?, source: CulpritSource?, unit: MetricUnit?, values: [String: Double]?
            for member in members {
                switch member.key {
                case "kind": kind = Self.string(member.value).flatMap(SampleKind.init(rawValue:))
                case "source": source = Self.string(member.value).flatMap(CulpritSource.init(rawValue:))
                case "unit": unit = Self.string(member.value).flatMap(MetricUnit.init(rawValue:))
                case "cycle", "sim_seconds":
                    var number: Double?
                    if case .null = member.value.kind {} else {
                        guard let value = Self.number(member.value) else { return nil }
                        number = value
                    }
                    if member.key == "cycle" { cycle = number } else { simSeconds = number }
                case "values":
                    guard case .object(let entries) = member.value.kind else { return nil }
                    var read: [String: Double] = [:]
                    for entry in entries {
                        guard let value = Self.number(entry.value) else { return nil }
                        read[entry.key] = value
                    }
                    values = read
                default: continue
                }
            }
            guard let kind, let source, let unit, let values else { return nil }
            (self.kind, self.source, self.unit, self.values) = (kind, source, unit, values)
        }

        private static func string(_ value: ProfileJSON) -> String? {
            if case .string(let text) = value.kind { return text }
            return nil
        }

        /// A finite number; a value out of Double's range is damage, not infinity.
        private static func number(_ value: ProfileJSON) -> Double? {
            guard case .number(let text) = value.kind, let number = Double(text), number.isFinite else { return nil }
            return number
        }
    }

    /// What a `culprits.jsonl` held, for the judge and its evidence rules.
    package struct Contents: Sendable {
        /// Whether the file exists at all.
        package var exists = false
        /// The culprit series in it.
        package var series: [CulpritSeries] = []
        /// Complete lines (ending in a newline), blank ones left out.
        package var lines = 0
        /// Complete lines that are not culprit readings: damage.
        package var damagedLines = 0
        /// True when the file ends in a line without its newline (a harness killed mid-write), which
        /// is left out like samples.csv's.
        package var droppedPartialLastLine = false

        /// The readings the series were made from.
        package var readings: Int { lines - damagedLines }
    }

    /// The series in `path`; empty when the file is absent. `frames` gives a stack id's frames.
    package static func read(_ path: String, frames: [String: [String]] = [:]) -> [CulpritSeries] {
        contents(path, frames: frames).series
    }

    /// The series in `path` and what the file's lines were.
    package static func contents(_ path: String, frames: [String: [String]] = [:]) -> Contents {
        var contents = Contents()
        // Anything but a regular file is damage; a FIFO nobody writes would block the read for ever.
        if FileSystem.isNotARegularFile(path) {
            contents.exists = true
            contents.damagedLines = 1
            return contents
        }
        guard let data = FileManager.default.contents(atPath: path) else { return contents }
        contents.exists = true
        var lines: [Line] = []
        let newline = UInt8(ascii: "\n")
        let pieces = [UInt8](data).split(separator: newline, omittingEmptySubsequences: false)
        for (index, text) in pieces.enumerated() {
            if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            // The piece after the last newline is a line cut off mid-write, never a reading.
            if index == pieces.count - 1 {
                contents.droppedPartialLastLine = true
                continue
            }
            contents.lines += 1
            if let line = Line(text) {
                lines.append(line)
            } else {
                contents.damagedLines += 1
            }
        }
        contents.series = series(from: lines, frames: frames)
        return contents
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
