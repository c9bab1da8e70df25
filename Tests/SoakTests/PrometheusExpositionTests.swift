import Foundation
import RegexBuilder
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits
import Testing

/// `/metrics` in the Prometheus text format 0.0.4, checked line by line as a scraper reads it,
/// and with `promtool check metrics` where it is installed (Debian's `prometheus` package).
@Suite struct PrometheusExpositionTests {
    /// A page with every family: a running run with samples, requests and an interim verdict.
    static func page() throws -> String {
        var state = LiveRunState(
            manifest: RunStatusTests.manifest(), runFolder: "reports/quick-20261123T091544Z", troughs: true)
        for cycle in 1...60 {
            var row = RunStatusTests.trough(cycle, heap: 1_000_000 + Double(cycle) * 4096)
            row[.pssBytes] = 5 * 1_048_576
            row[.liveInstances] = 3
            row[.cpuSeconds] = 0.25 * Double(cycle)
            row[.harnessRSSBytes] = 9 * 1_048_576
            state.record(sample: row)
            state.record(progress: RunStatusTests.progress(cycle: cycle))
        }
        state.record(request: RequestRecord(
            cycle: 1, simSeconds: 0, wallSeconds: 0, path: "/t/t1/a1.service",
            outcome: RequestOutcome(status: 200, latencyMilliseconds: 1), succeeded: true, violation: nil))
        let options = AnalysisOptions(profile: try RunStatusTests.quick())
        state.status.interim = InterimJudge.judge(
            state.series, options: options, manifest: state.manifest, integrity: state.status.integrity)
        return RunMetricsPage.render(state.status)
    }

    @Test func everyLineFollowsTheTextFormat() throws {
        let text = try Self.page()
        #expect(text.hasSuffix("\n"))
        let name = #/[a-zA-Z_:][a-zA-Z0-9_:]*/#
        // name{label="value",...} value, label values with only \\, \" and \n escaped.
        let label = #/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"/#
        let sampleLine = Regex {
            Capture { name }
            Optionally { "{"; label; ZeroOrMore { ","; label }; "}" }
            " "
            Capture { OneOrMore(.whitespace.inverted) }
        }
        var types: [String: String] = [:]
        var helped: Set<String> = []
        var sampled: Set<String> = []
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let line = String(line)
            if line.hasPrefix("# HELP ") {
                let family = String(line.dropFirst(7).prefix { $0 != " " })
                #expect(family.wholeMatch(of: name) != nil, "\(family)")
                #expect(helped.insert(family).inserted, "one HELP per family: \(family)")
                current = family
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ").map(String.init)
                #expect(parts.count == 2, "\(line)")
                #expect(parts[0] == current, "TYPE right after its HELP: \(line)")
                #expect(types[parts[0]] == nil, "one TYPE per family: \(line)")
                #expect(["counter", "gauge"].contains(parts[1]), "\(line)")
                types[parts[0]] = parts[1]
            } else {
                let match = try #require(line.wholeMatch(of: sampleLine), "not a sample line: \(line)")
                let family = String(match.1)
                #expect(family == current, "a sample follows its own family's HELP and TYPE: \(line)")
                #expect(types[family] != nil, "TYPE before samples: \(line)")
                #expect(Double(match.2) != nil || ["NaN", "+Inf", "-Inf"].contains(match.2), "\(line)")
                #expect(line.contains(#"profile="quick""#) && line.contains(#"run="quick-20261123T091544Z""#))
                sampled.insert(family)
            }
        }
        #expect(sampled == Set(types.keys), "every family has samples")
        for (family, type) in types {
            // Counters, and only counters, end in _total; nothing else claims a reserved suffix.
            #expect(family.hasSuffix("_total") == (type == "counter"), "\(family) is a \(type)")
            for reserved in ["_count", "_sum", "_bucket"] { #expect(!family.hasSuffix(reserved), "\(family)") }
            #expect(family.hasPrefix("soak_"), "\(family)")
        }
        // Units in the name: bytes and seconds where the value is one, ratios as 0...1.
        for family in ["soak_target_rss_bytes", "soak_target_pss_bytes", "soak_target_heap_in_use_bytes",
                       "soak_harness_rss_bytes", "soak_target_cpu_seconds_total", "soak_simulated_seconds",
                       "soak_integrity_ratio", "soak_target_live_instances", "soak_target_open_fds",
                       "soak_target_threads", "soak_cycles_total", "soak_requests_total",
                       "soak_leak_slope_bytes_per_hour", "soak_leak_slope_per_hour", "soak_leak_suspected"] {
            #expect(types[family] != nil, "\(family) is exported")
        }
        #expect(text.contains(#"soak_requests_total{profile="quick",run="quick-20261123T091544Z",outcome="ok"} 1"#))
        let labels = #"profile="quick",run="quick-20261123T091544Z""#
        #expect(text.contains("soak_leak_slope_bytes_per_hour{\(labels),metric=\"heap_in_use\"} 81920"),
                "4 KiB a 3m cycle is 80 KiB a simulated hour:\n\(text)")
        #expect(text.contains("soak_leak_suspected{\(labels),metric=\"heap_in_use\"} 1"))
        #expect(text.contains(#"soak_cycles_total{profile="quick",run="quick-20261123T091544Z"} 60"#))
    }

    @Test func labelValuesAndHelpAreEscaped() {
        var page = PrometheusText(commonLabels: [("run", "a\"b\\c\nd")])
        page.add("x_bytes", .gauge, help: "one\\two\nthree \"quoted\"", value: 1.5)
        page.add("y", .gauge, help: "absent", value: nil)
        page.add("z", .gauge, help: "inf", samples: [.init(value: .infinity), .init(value: .nan)])
        #expect(page.text == """
            # HELP x_bytes one\\\\two\\nthree "quoted"
            # TYPE x_bytes gauge
            x_bytes{run="a\\"b\\\\c\\nd"} 1.5
            # HELP z inf
            # TYPE z gauge
            z{run="a\\"b\\\\c\\nd"} +Inf
            z{run="a\\"b\\\\c\\nd"} NaN

            """)
        #expect(PrometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test func promtoolAcceptsThePageWhereInstalled() throws {
        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(try Self.page().utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(report)")
        #expect(report.isEmpty, "no lint findings: \(report)")
    }
}
