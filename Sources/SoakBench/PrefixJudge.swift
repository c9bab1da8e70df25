import FoundationEssentials
import SoakAnalysis
import SoakProfiles
import SoakRun

/// Judges growing prefixes of a finished run's samples.csv, to find when a leak became visible
/// without re-running the scenario once per length.
enum PrefixJudge {
    /// A prefix: the samples of the first `cycles` cycles.
    struct Cut: Equatable {
        var cycles: Int
        var simulatedSeconds: Double
        var wallSeconds: Double
        /// Metrics judged leaking at this cut.
        var metrics: [String]
    }

    /// The first cut judged a leak, and the first from which every later cut is.
    struct Detection {
        var first: Cut?
        var stable: Cut?
    }

    static func detect(folder: RunFolder, profile: Profile, cutEvery: Int) throws -> Detection {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.samples))
        let bytes = [UInt8](data)
        let newline = UInt8(ascii: "\n")
        guard let headerEnd = bytes.firstIndex(of: newline) else { return Detection() }
        let columns = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: ",").map(String.init)
        guard let cycleIndex = columns.firstIndex(of: SampleColumn.cycle.rawValue),
              let simIndex = columns.firstIndex(of: SampleColumn.simSeconds.rawValue),
              let wallIndex = columns.firstIndex(of: SampleColumn.wallSeconds.rawValue) else { return Detection() }
        // (end offset of the line, cycle, sim seconds, wall seconds) per data line.
        var rows: [(end: Int, cycle: Int, sim: Double, wall: Double)] = []
        var start = headerEnd + 1
        while let end = bytes[start...].firstIndex(of: newline) {
            let fields = String(decoding: bytes[start..<end], as: UTF8.self)
                .split(separator: ",", omittingEmptySubsequences: false)
            if fields.count == columns.count, let cycle = Int(fields[cycleIndex]) {
                rows.append((end + 1, cycle, Double(fields[simIndex]) ?? 0, Double(fields[wallIndex]) ?? 0))
            }
            start = end + 1
        }
        let options = AnalysisOptions(profile: profile)
        var cuts: [Cut?] = []
        var cycles = cutEvery
        while let last = rows.lastIndex(where: { $0.cycle < cycles }), cycles <= (rows.last?.cycle ?? 0) + cutEvery {
            let row = rows[last]
            let table = try SampleTable(data: data.prefix(row.end), source: folder.samples)
            let leaks = try LeakAnalysis.analyze(table, options: options).leaks
                .filter(\.metric.decidesVerdict).map(\.metric.rawValue)
            cuts.append(leaks.isEmpty ? nil : Cut(cycles: cycles, simulatedSeconds: row.sim, wallSeconds: row.wall,
                                                  metrics: leaks))
            cycles += cutEvery
        }
        let first = cuts.compactMap { $0 }.first
        var stable: Cut?
        for cut in cuts.reversed() {
            guard let cut else { break }
            stable = cut
        }
        return Detection(first: first, stable: stable)
    }
}
