import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun

/// The profile keys of the metric sources, the columns they declare, and declared columns in
/// samples.csv and summary.json.
@Suite struct MetricSourceProfileTests {
    static func command(_ extra: String, thresholds: String = "{}") -> String {
        """
        {"description": "d", "target": {"command": {"argv": ["./x"], "ready": {"delay": "1s"}\(extra)}},
         "scenario": {"kind": "sample-only", "interval": "1s", "duration": "1m"}, "thresholds": \(thresholds)}
        """
    }

    static func load(_ json: String) throws -> Profile {
        try ProfileLoader.load(json: json, name: "t", file: "t.json")
    }

    @Test func decodesEverySourceAndDeclaresItsColumns() throws {
        let profile = try Self.load(Self.command("""
            , "metricsURL": "http://127.0.0.1:{port}/metrics",
              "metrics": {"node_heap": "nodejs_heap_size_used_bytes",
                          "sessions": {"series": "app_sessions", "unit": "count", "decides": false}},
              "jvm": {"gcAtTrough": true}, "heap": "glibc"
            """, thresholds: #"{"node_heap": {"perCycle": "1KiB", "floor": "1MiB"}}"#))
        guard case .command(let command) = profile.target else { return #expect(Bool(false)) }
        #expect(command.metricsURL == "http://127.0.0.1:{port}/metrics")
        #expect(command.metrics == [
            Profile.PrometheusColumn(column: "node_heap", series: "nodejs_heap_size_used_bytes", unit: .bytes),
            Profile.PrometheusColumn(column: "sessions", series: "app_sessions", unit: .count, decides: false),
        ])
        #expect(command.jvm == Profile.JVMSettings(gcAtTrough: true))
        #expect(command.heap == .glibc)
        let declared = DeclaredColumns.metrics(of: profile.target)
        #expect(declared.map(\.rawValue) == ["node_heap", "sessions", "jvm_old_used", "jvm_metaspace_used",
            "jvm_heap_used", "glibc_heap_in_use", "glibc_heap_free", "glibc_heap_arena", "glibc_heap_mmapped",
            "cgroup_anon", "cgroup_usage", "cgroup_file"])
        #expect(declared.filter(\.decidesVerdict).map(\.rawValue) == [
            "node_heap", "jvm_old_used", "jvm_metaspace_used", "glibc_heap_in_use", "cgroup_anon"])
        #expect(DeclaredColumns.columns(of: profile.target).contains("jvm_young_gcs"))
        let options = AnalysisOptions(profile: profile)
        #expect(options.metrics == Metric.allCases + declared)
        #expect(options.thresholds[Metric(declared: "node_heap", unit: .bytes, decides: true)]
            == Threshold(perCycle: 1024, floor: 1_048_576))
        #expect(options.thresholds[Metric(declared: "glibc_heap_in_use", unit: .bytes, decides: true)]
            == Threshold(perCycle: 64, floor: 65_536))
        #expect(try Self.load(Self.command(#", "jvm": true"#)).target
            == .command({ var c = command; c.metricsURL = nil; c.metrics = []; c.heap = nil; c.jvm = .init(); return c }()))
    }

    @Test func refusesWhatTheSourcesCannotUse() {
        let cases: [(String, String)] = [
            (#", "metrics": {"heap": "x"}"#, "metrics need metricsURL"),
            (#", "metricsURL": "http://127.0.0.1:1", "metrics": {"rss": "x"}"#, "not a built-in metric"),
            (#", "metricsURL": "http://127.0.0.1:1", "metrics": {"Bad-Name": "x"}"#, "lowercase letters"),
            (#", "metricsURL": "http://127.0.0.1:1", "metrics": {"a": {"series": "x", "unit": "apples"}}"#, "\"count\""),
            (#", "heap": "jemalloc""#, "\"glibc\""),
            (#", "jvm": {"gcAtTroughs": true}"#, "gcAtTroughs"),
        ]
        for (extra, message) in cases {
            let errors = ProfileTesting.errors(Self.command(extra))
            #expect(errors.contains { $0.contains(message) }, "\(extra): \(errors)")
        }
        // A threshold may name a declared column, but not one nothing declares.
        let unknown = ProfileTesting.errors(Self.command("", thresholds: #"{"node_heap": {"perCycle": 1}}"#))
        #expect(unknown.contains { $0.contains("node_heap") }, "\(unknown)")
    }

    @Test func declaredColumnsFollowTheHarnessesInSamplesCSV() {
        var row = SampleRow()
        row[.rssBytes] = 10
        row.declared["node_heap"] = 2048
        row.declared["gone"] = .nan
        let line = row.csvLine(declaredColumns: ["node_heap", "missing", "gone"])
        #expect(line.hasSuffix(",2048,,\n"))
        #expect(line.split(separator: ",", omittingEmptySubsequences: false).count
            == SampleColumn.allCases.count + 3)
        #expect(row[metric: Metric(declared: "node_heap", unit: .bytes, decides: true)] == 2048)
        #expect(row[metric: .rss] == 10)
    }

    @Test func aDeclaredMetricSurvivesSummaryJSON() throws {
        let metric = Metric(declared: "sessions", unit: .count, decides: false)
        #expect(metric != .rss && Metric(rawValue: "sessions") == nil && Metric(rawValue: "rss") == .rss)
        let table = try SampleTable(data: Data("""
            sim_seconds,kind,cycle,sessions
            \((0..<40).map { "\($0),trough,\($0),\(100 + $0 * 3)" }.joined(separator: "\n"))

            """.utf8))
        var options = AnalysisOptions(
            cycleIntervalSeconds: 1, warmup: .fraction(0.1), thresholds: [metric: Threshold(perCycle: 0.1, floor: 5)],
            alpha: 0.01, metrics: [metric])
        options.minimumPoints = 12
        let analysis = try LeakAnalysis.analyze(table, options: options)
        #expect(analysis.metrics.first?.verdict == .leak)
        let decoded = try JSONDecoder().decode(LeakAnalysis.self, from: JSONEncoder().encode(analysis))
        let entry = try #require(decoded.metrics.first)
        #expect(entry.metric == metric && entry.unit == .count && !entry.metric.decidesVerdict)
    }
}
