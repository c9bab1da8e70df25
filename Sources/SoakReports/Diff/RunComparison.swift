/// Two judged runs of one profile side by side: a row per compared quantity, each with the change,
/// the tolerance it was held to and the outcome. `soak diff` fails when any row is a regression.
///
/// Rows, in order: for each metric either run has, its plateau, slope per simulated hour, peak and
/// verdict (`DiffRules` explains each rule); then cold and warm latency p50 and p99; integrity; and
/// the run verdict.
import SoakAnalysis
import SoakRun

package struct RunComparison: Sendable {
    /// The reference run (often a committed baseline).
    package var base: RunSummary
    /// The run being checked.
    package var candidate: RunSummary
    /// The tolerances the rows were judged with.
    package var tolerances: DiffTolerances
    /// Every compared quantity, in table order.
    package var rows: [DiffRow]

    /// Compares `candidate` with `base`. Does not check that the runs are comparable: see
    /// `mismatches(base:candidate:)`.
    package init(base: RunSummary, candidate: RunSummary, tolerances: DiffTolerances = .defaults) {
        self.base = base
        self.candidate = candidate
        self.tolerances = tolerances
        var rows: [DiffRow] = []
        for metric in RunSummary.metrics(of: base, candidate) {
            let baseMetric = base.metric(metric)
            let candidateMetric = candidate.metric(metric)
            guard baseMetric != nil || candidateMetric != nil else { continue }
            var metricRows = DiffRules.metricRows(
                metric, base: baseMetric, candidate: candidateMetric, tolerance: tolerances.tolerance(for: metric))
            if !metric.decidesVerdict {
                // The harness's own memory, or PSS that moves with other processes' sharing:
                // worth a look, never a failed diff.
                for index in metricRows.indices where metricRows[index].status == .regression {
                    metricRows[index].status = .warning
                }
            }
            rows += metricRows
        }
        rows += DiffCulpritRows.rows(base: base, candidate: candidate)
        rows += DiffRules.latencyRows(
            base: base.requests, candidate: candidate.requests, tolerance: tolerances.latency)
        rows.append(DiffRules.integrityRow(base: base.integrity, candidate: candidate.integrity))
        rows.append(DiffRules.verdictRow(base: base, candidate: candidate))
        self.rows = rows
    }

    /// The rows that fail the diff.
    package var regressions: [DiffRow] { rows.filter { $0.status == .regression } }

    /// True when any row is a regression: `soak diff` exits 1.
    package var hasRegression: Bool { rows.contains { $0.status == .regression } }

    /// Why the two runs should not be compared at all (different profiles, scenarios or cycle
    /// intervals), one sentence each; empty when they are comparable. `soak diff` refuses unless
    /// `--force`.
    package static func mismatches(base: RunSummary, candidate: RunSummary) -> [String] {
        var problems: [String] = []
        if base.profile != candidate.profile {
            problems.append("the runs are of different profiles: base \"\(base.profile)\", "
                + "candidate \"\(candidate.profile)\"")
        }
        if base.scenarioKind != candidate.scenarioKind {
            problems.append("the runs replay different scenarios: base \(base.scenarioKind), "
                + "candidate \(candidate.scenarioKind)")
        }
        if base.intervalSeconds != candidate.intervalSeconds {
            let intervals = [base, candidate].map { SampleRow.format($0.intervalSeconds) + " s" }
            problems.append("the runs have different cycle intervals: base \(intervals[0]), candidate \(intervals[1])")
        }
        return problems
    }

    /// One line per regression, for the closing line and CI annotations.
    package var regressionDetails: [String] { regressions.map(\.detail) }
}

/// The outcome of one compared quantity.
package enum DiffStatus: String, Sendable, Equatable {
    /// Within tolerance.
    case ok = "OK"
    /// Worse than the base beyond tolerance: fails the diff.
    case regression = "REGRESSION"
    /// Better than the base beyond tolerance.
    case improved
    /// Worse beyond tolerance on something that does not fail the diff (the harness's own memory).
    case warning
    /// Missing or unjudged in either run, so not compared.
    case notCompared = "n/a"
}

/// One line of a diff: a quantity in both runs, the change, what was allowed and the outcome.
/// Cells are already formatted, so every renderer shows the same text.
package struct DiffRow: Sendable, Equatable {
    /// What is compared: `heap_in_use plateau`, `cold p99`, `integrity`.
    package var label: String
    /// The metric the row is about; nil for latency, integrity and the run verdict.
    package var metric: Metric?
    /// The base's value.
    package var base: String
    /// The candidate's value.
    package var candidate: String
    /// Candidate against base.
    package var change: String
    /// What the change was held to.
    package var tolerance: String
    /// The outcome.
    package var status: DiffStatus
    /// One sentence with the numbers that decided the status, for CI annotations.
    package var detail: String
}
