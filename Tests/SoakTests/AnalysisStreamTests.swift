import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakUnits

/// The streamed judgement must be the in-memory one: same series, same buckets, same plateau,
/// same verdict, whether a series is held or rebuilt by later passes over the file.
@Suite("Streaming analysis gives the in-memory verdicts")
struct AnalysisStreamTests {
    static func both(
        _ csv: String, options: AnalysisOptions, heldLimit: Int? = nil
    ) throws -> (memory: LeakAnalysis, streamed: LeakAnalysis, digest: SampleDigest) {
        let data = Data(csv.utf8)
        let memory = try LeakAnalysis.analyze(try SampleTable(data: data), options: options)
        var stream = try SampleStream(.data(data, source: "samples.csv"), options: options,
                                      charting: options.metrics.map(\.columnName), heldLimit: heldLimit)
        return (memory, try stream.analyze(), stream.digest)
    }

    @Test("troughs and periodic samples, held or rebuilt, odd and even counts", arguments: [nil, 7, 40, 1000])
    func syntheticRuns(heldLimit: Int?) throws {
        for (cycles, perCycle, troughs) in [(200, 6, true), (201, 5, true), (9, 30, true), (60, 7, false)] {
            var run = AnalysisSyntheticRun()
            run.cycles = cycles
            run.periodicPerCycle = perCycle
            run.troughs = troughs
            run.heap = { 10 * 1_048_576 + Double($0) * 900 }
            var options = run.options()
            options.maxTroughPoints = 50
            options.maxPoints = 64
            let result = try Self.both(run.csv(), options: options, heldLimit: heldLimit)
            #expect(result.streamed == result.memory, "cycles \(cycles), held \(heldLimit ?? -1)")
            #expect(!result.streamed.metrics.isEmpty)
        }
    }

    @Test("rows out of time order, missing values, text in a declared column, hostile numbers",
          arguments: [nil, 5])
    func awkwardFiles(heldLimit: Int?) throws {
        var lines = ["sim_seconds,kind,cycle,rss_bytes,fds,sessions,label"]
        for row in 0..<400 {
            let t = row % 50 == 7 ? row * 10 - 35 : row * 10
            let kind = row % 10 == 9 ? "trough" : "periodic"
            let rss = row % 13 == 0 ? "" : "\(row % 97 == 0 ? "1e308" : String(50_000_000 + row % 17 * 4096))"
            let sessions = row == 300 ? "many" : "\(row / 4)"
            lines.append("\(t),\(kind),\(row / 10),\(rss),\(row % 3 == 0 ? "-0" : "7"),\(sessions),x")
        }
        let declared = Metric(declared: "sessions", unit: .count, decides: true)
        var options = AnalysisOptions(
            cycleIntervalSeconds: 100, warmup: .fraction(0.1), thresholds: [:], alpha: 0.01,
            maxPoints: 30, maxTroughPoints: 20, metrics: Metric.allCases + [declared])
        options.minimumPoints = 12
        let text = lines.joined(separator: "\n") + "\n"
        let result = try Self.both(text, options: options, heldLimit: heldLimit)
        #expect(result.streamed == result.memory)
        #expect(result.digest.rowCount == 400 && !result.digest.hasNumericColumn("sessions"))
        // Too few troughs with a long warm-up: every metric falls back to periodic samples.
        options.warmup = .fraction(0.97)
        let periodic = try Self.both(text, options: options, heldLimit: heldLimit)
        #expect(periodic.streamed == periodic.memory)
        #expect(periodic.streamed.metrics.allSatisfy { $0.source == .periodic })
    }

    @Test("the digest holds what the evidence rules ask of the table")
    func digestFacts() throws {
        let csv = "sim_seconds,kind,cycle,rss_bytes,heap_in_use_bytes\n0,trough,0,10,\n30,periodic,1e308,11,\n"
            + "45.5,periodic,3,12,\n60,trough,4"
        let options = AnalysisOptions(cycleIntervalSeconds: 30, warmup: .fraction(0.1), thresholds: [:], alpha: 0.01)
        let stream = try SampleStream(.data(Data(csv.utf8), source: "samples.csv"), options: options,
                                      charting: ["rss_bytes"])
        let digest = stream.digest
        #expect(digest.rowCount == 3 && digest.droppedPartialLastLine)
        #expect(digest.lastCycle == 3 && digest.firstSimSeconds == 0 && digest.lastSimSeconds == 45.5)
        #expect(digest.hasNumericColumn("heap_in_use_bytes") && !digest.hasValue("heap_in_use_bytes"))
        #expect(!digest.hasNumericColumn("kind") && !digest.hasNumericColumn("pss_bytes"))
        #expect(digest.charts["rss_bytes"]?.troughs.points.count == 1)
        #expect(digest.charts["rss_bytes"]?.periodic.points.count == 2)
    }

    @Test("reading a file in chunks gives the table read at once, and errors name the same line")
    func chunkedFile() throws {
        var run = AnalysisSyntheticRun()
        run.cycles = 3000
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv")
        let text = run.csv() + "12,periodic"
        try Data(text.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let fromFile = try SampleTable(contentsOfFile: path.path)
        let inMemory = try SampleTable(data: Data(text.utf8), source: path.path)
        #expect(fromFile.rowCount == inMemory.rowCount && fromFile.droppedPartialLastLine)
        // Bit patterns: NaN, the missing reading, is not equal to itself.
        let same = fromFile.numeric.keys.sorted() == inMemory.numeric.keys.sorted()
            && fromFile.numeric.allSatisfy { name, values in values.map(\.bitPattern) == inMemory.numeric[name]?.map(\.bitPattern) }
        #expect(same)
        var stream = try SampleStream(.file(path.path), options: run.options(), charting: [])
        #expect(try stream.analyze() == LeakAnalysis.analyze(inMemory, options: run.options()))

        var badLines = text.components(separatedBy: "\n")
        badLines[15_000] = badLines[15_000].replacingOccurrences(of: "periodic", with: "steady")
        let bad = badLines.joined(separator: "\n")
        try Data(bad.utf8).write(to: path)
        let error = #expect(throws: SampleTableError.self) {
            try SampleStream(.file(path.path), options: run.options(), charting: [])
        }
        let reference = #expect(throws: SampleTableError.self) { try SampleTable(data: Data(bad.utf8)) }
        #expect(error?.line == reference?.line && error?.line == 15_001)
    }
}

@Suite("Rank selection over values read again")
struct RankSelectionTests {
    @Test("finds the rank OrderStatistics finds, narrowing by histogram when collecting is not allowed")
    func matchesSelection() {
        var generator = SplitMix64(seed: 7)
        let groups: [[Double]] = [
            (0..<5000).map { _ in Double(generator.next() % 100_000) - 50_000 },
            (0..<3000).map { _ in 52_428_800 + Double(generator.next() % 32) * 4096 },
            (0..<999).map { (index: Int) -> Double in
                if index == 5 { return 1e308 }
                return index == 9 ? -1e308 : Double(index % 7) * 0.25
            },
            [7, 7, 7, 7],
        ]
        for values in groups {
            for rank in [0, values.count / 2, values.count - 1] {
                var selection = RankSelection(
                    rank: rank, low: values.min()!, high: values.max()!, collectLimit: 3)
                var passes = 0
                while selection.value == nil, passes < 20 {
                    selection.beginPass()
                    for value in values { selection.add(value) }
                    selection.endPass()
                    passes += 1
                }
                var copy = values
                #expect(selection.value == OrderStatistics.select([rank], in: &copy)[0], "rank \(rank)")
            }
        }
    }
}

@Suite("soak analyze streams its CSV")
struct SeriesStreamTests {
    @Test("same result as the in-memory table, held or bucketed by a second pass", arguments: [3, 50, 200_000])
    func matchesTable(heldLimit: Int) throws {
        var generator = SplitMix64(seed: 3)
        var lines = ["when,value,label"]
        for row in 0..<3000 {
            let when = row % 400 == 17 ? "" : "\(row % 1000 == 999 ? row - 5 : row)"
            let value = row % 11 == 0 ? "" : "\(100 + row / 10 + Int(generator.next() % 30))"
            lines.append("\(when),\(value),x")
        }
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        let table = try SampleTable(data: data, source: "any.csv")
        for (x, warmup) in [(nil, SeriesWarmup.points(0)), ("when", .fraction(0.25)), (nil, .points(2990))] {
            var options = SeriesAnalysis.Options(warmup: warmup)
            options.maxPoints = 100
            let memory = try SeriesAnalysis.analyze(table, y: "value", x: x, options: options)
            let streamed = try SeriesStream.analyze(
                .data(data, source: "any.csv"), y: "value", x: x, options: options, heldLimit: heldLimit)
            #expect(streamed == memory, "x \(x ?? "row"), held \(heldLimit)")
        }
        for (y, x) in [("label", nil), ("nope", nil), ("value", "label")] {
            let memory = #expect(throws: SampleTableError.self) { try SeriesAnalysis.analyze(table, y: y, x: x) }
            let streamed = #expect(throws: SampleTableError.self) {
                try SeriesStream.analyze(.data(data, source: "any.csv"), y: y, x: x, heldLimit: heldLimit)
            }
            #expect(streamed == memory)
        }
    }
}
