import FoundationEssentials
import SoakAnalysis
import SoakRun
import SoakUnits

/// `junit.xml`: the verdict as test cases, for CI systems that show JUnit results.
///
/// One suite, `soak.<profile>`, with a case per judged metric, plus `integrity` and `crash`.
/// Anything that is not a pass fails, with its kind in the failure's `type`: a leak, an
/// inconclusive metric (too few points is never a silent pass), an integrity breach, a crash or
/// an interrupted run. The harness's own RSS is reported but only warns, as in the run verdict,
/// so CI fails on JUnit exactly when `soak` exits non-zero.
enum JUnitReport {
    /// One test case: its name, class and failure (nil when it passed).
    struct Case {
        var classname: String
        var name: String
        var failure: (type: String, message: String, detail: String)?
        /// Extra text for people, shown beside the result.
        var output: String?
    }

    static func render(_ summary: RunSummary) -> String {
        let cases = self.cases(summary)
        let failures = cases.filter { $0.failure != nil }.count
        let time = DecimalText.format(ReportText.wallSeconds(summary) ?? 0, decimals: 3)
        let suite = "soak.\(summary.profile)"
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="soak" tests="\#(cases.count)" failures="\#(failures)" errors="0" time="\#(time)">"#,
            "  <testsuite name=\"\(attribute(suite))\" tests=\"\(cases.count)\" failures=\"\(failures)\" "
                + "errors=\"0\" skipped=\"0\" time=\"\(time)\" timestamp=\"\(timestamp(summary.startedAt))\">",
            "    <properties>",
        ]
        let properties = [("verdict", summary.verdict.rawValue), ("verdict_reason", summary.verdictReason),
                          ("status", summary.status.rawValue), ("run_folder", summary.runFolder),
                          ("soak_version", summary.soakVersion)]
        for (name, value) in properties {
            lines.append("      <property name=\"\(attribute(name))\" value=\"\(attribute(value))\"/>")
        }
        lines.append("    </properties>")
        for testCase in cases {
            let head = "    <testcase classname=\"\(attribute(testCase.classname))\" "
                + "name=\"\(attribute(testCase.name))\" time=\"0\""
            guard testCase.failure != nil || testCase.output != nil else {
                lines.append(head + "/>")
                continue
            }
            lines.append(head + ">")
            if let failure = testCase.failure {
                lines.append("      <failure type=\"\(attribute(failure.type))\" "
                    + "message=\"\(attribute(failure.message))\">\(text(failure.detail))</failure>")
            }
            if let output = testCase.output {
                lines.append("      <system-out>\(text(output))</system-out>")
            }
            lines.append("    </testcase>")
        }
        let verdict = ReportText.word(summary.verdict) + ": " + summary.verdictReason
        lines += ["    <system-out>\(text(verdict))</system-out>", "  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The cases of a run, in report order.
    static func cases(_ summary: RunSummary) -> [Case] {
        let prefix = "soak.\(summary.profile)"
        var cases: [Case] = []
        for metric in summary.analysis.metrics {
            var testCase = Case(classname: prefix + ".metrics", name: metric.metric.rawValue, output: numbers(metric))
            let warnsOnly = !metric.metric.decidesVerdict
            switch metric.verdict {
            case .pass:
                break
            case .leak where warnsOnly:
                testCase.output = "warning: \(metric.metric.rawValue) grows (not part of the verdict): \(metric.reason)"
            case .inconclusive where warnsOnly:
                break
            case .leak:
                // Where, beside whether: the growing culprits go into the failure a CI page shows.
                let culprits = WhereText.lines(summary)
                let message = "\(metric.metric.rawValue) leaks: \(metric.reason)"
                    + (culprits.isEmpty ? "" : "; growing: " + culprits.joined(separator: "; "))
                testCase.failure = ("leak", message, numbers(metric))
            case .inconclusive:
                testCase.failure = ("inconclusive", "\(metric.metric.rawValue) could not be judged: \(metric.reason)",
                                    numbers(metric))
            }
            cases.append(testCase)
        }
        if ReportText.judged(summary).isEmpty {
            // Without a metric case the suite would be all green while the run is unjudged.
            cases.append(Case(classname: prefix + ".metrics", name: "metrics", failure: (
                "inconclusive", "no metric could be judged", summary.verdictReason)))
        }
        let integrity = summary.integrity
        var integrityCase = Case(classname: prefix + ".run", name: "integrity",
                                 output: "\(integrity.validCycles)/\(integrity.cycles) cycles as designed")
        if integrity.cycles > 0, !integrity.isComplete {
            integrityCase.failure = ("integrity", "integrity \(integrity.validCycles)/\(integrity.cycles) cycles: "
                + (integrity.firstViolation ?? "a request did not find the expected state"),
                summary.verdict == .invalid ? summary.verdictReason : "")
        }
        cases.append(integrityCase)
        var crashCase = Case(classname: prefix + ".run", name: "crash", output: ReportText.target(summary))
        switch summary.verdict {
        case .crashed: crashCase.failure = ("crashed", summary.verdictReason, ReportText.target(summary))
        case .interrupted: crashCase.failure = ("interrupted", summary.verdictReason, ReportText.target(summary))
        case .pass, .leak, .invalid, .inconclusive: break
        }
        cases.append(crashCase)
        return cases
    }

    /// The figures behind a metric's verdict, one per line.
    private static func numbers(_ metric: MetricAnalysis) -> String {
        [
            "verdict: \(metric.verdict.rawValue): \(metric.reason)",
            "slope per cycle (95% CI): \(ReportText.slopePerCycle(metric))",
            "slope per simulated hour: \(ReportText.slopePerHour(metric))",
            "growth over the window: \(ReportText.growth(metric))",
            "plateau: \(ReportText.amount(metric.plateau, metric.unit)), "
                + "peak: \(ReportText.amount(metric.peak, metric.unit))",
            "projected over 30 days: \(ReportText.amount(metric.projectedGrowth30Days, metric.unit))",
        ].joined(separator: "\n")
    }

    private static func attribute(_ text: String) -> String { MarkupText.escape(text) }

    private static func text(_ text: String) -> String { MarkupText.escape(text, inAttribute: false) }

    private static func timestamp(_ date: Date) -> String {
        // JUnit's schema wants ISO 8601 without a zone designator.
        var text = date.formatted(.iso8601)
        if text.hasSuffix("Z") { text.removeLast() }
        return text
    }
}
