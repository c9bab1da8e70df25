import FoundationEssentials
import SoakAnalysis
import SoakRun
import SoakUnits

/// The words and numbers every report shows the same way: the verdict word, amounts in their
/// unit, slopes with their interval, and the run's facts. Markdown, HTML and JUnit all read them
/// from here, so the three reports never disagree on a figure.
package enum ReportText {
    /// `PASS`, `LEAK`, `INVALID`…: a word that reads without colour or emoji.
    static func word(_ verdict: RunVerdict) -> String { verdict.rawValue.uppercased() }

    /// An amount in the metric's unit (`3.1 MiB`, `0.05 instances`); `–` when absent.
    package static func amount(_ value: Double?, _ unit: MetricUnit) -> String {
        value.map { AnalysisText.amount($0, unit) } ?? "–"
    }

    /// The per-cycle slope with its 95% interval: `4 KiB (3.9 KiB … 4.1 KiB)`.
    package static func slopePerCycle(_ metric: MetricAnalysis) -> String {
        withInterval(metric.slopePerCycle, metric.lowSlopePerCycle, metric.highSlopePerCycle, metric.unit)
    }

    /// The per-hour slope with its interval.
    static func slopePerHour(_ metric: MetricAnalysis) -> String {
        withInterval(metric.slopePerHour, metric.lowSlopePerHour, metric.highSlopePerHour, metric.unit)
    }

    /// `4 KiB (3.9 KiB … 4.1 KiB)`; counts name their unit once: `0.05 (0.04 … 0.06) fds`.
    private static func withInterval(_ value: Double?, _ low: Double?, _ high: Double?, _ unit: MetricUnit) -> String {
        guard let value else { return "–" }
        guard let interval = interval(low, high, unit) else { return amount(value, unit) }
        if unit == .bytes { return "\(amount(value, unit)) (\(interval))" }
        return "\(bare(value)) (\(interval)) \(word(unit))"
    }

    /// `3.9 KiB … 4.1 KiB`, or `0.04 … 0.06` for counts (the caller names the unit).
    static func interval(_ low: Double?, _ high: Double?, _ unit: MetricUnit) -> String? {
        guard let low, let high else { return nil }
        return unit == .bytes ? "\(amount(low, unit)) … \(amount(high, unit))" : "\(bare(low)) … \(bare(high))"
    }

    /// The word `AnalysisText.amount` puts after a count.
    static func word(_ unit: MetricUnit) -> String {
        switch unit {
        case .bytes: "B"
        case .instances: "instances"
        case .descriptors: "fds"
        case .threads: "threads"
        case .count: ""
        case .seconds: "s"
        }
    }

    /// A count without its unit word.
    static func bare(_ value: Double) -> String { DecimalText.format(value, significant: 3) }

    /// Growth over the steady window, with the window's length in cycles.
    static func growth(_ metric: MetricAnalysis) -> String {
        guard let growth = metric.growth else { return "–" }
        return amount(growth, metric.unit) + " in " + DecimalText.format(metric.windowCycles, decimals: 0) + " cycles"
    }

    /// Simulated time until the memory limit: `4d2h`, `already above`, `–` when not computed.
    static func timeToLimit(_ metric: MetricAnalysis) -> String {
        guard let seconds = metric.timeToLimitSeconds else { return "–" }
        return seconds <= 0 ? "already above" : simulated(seconds)
    }

    /// Simulated seconds as a short duration (`2d`, `1d4h`), rounded to the two largest units.
    static func simulated(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        // A slope of a few bytes an hour puts a limit centuries away; Duration would overflow.
        guard seconds < 100 * 365 * 86_400 else { return "over 100 years" }
        return DurationText.format(.milliseconds(Int64(max(0, seconds) * 1000)), maxUnits: 2)
    }

    /// Latency percentile in milliseconds: `1.24 ms`, `–` when there were no such requests.
    static func milliseconds(_ value: Double?) -> String {
        value.map { DecimalText.format($0, significant: 3) + " ms" } ?? "–"
    }

    /// `cold p50 1.2 ms, p99 3.4 ms (960 requests); warm p50 –, p99 – (0 requests)`.
    static func latencyLine(_ requests: RequestSummary) -> String {
        func part(_ name: String, _ latency: LatencySummary) -> String {
            guard latency.count > 0 else { return "\(name): none" }
            return "\(name) p50 \(milliseconds(latency.p50Milliseconds)), p99 \(milliseconds(latency.p99Milliseconds)) "
                + "(\(latency.count) \(latency.count == 1 ? "request" : "requests"))"
        }
        var line = part("cold", requests.cold) + "; " + part("warm", requests.warm)
        if requests.failed > 0 { line += "; \(requests.failed) of \(requests.total) failed" }
        return line
    }

    /// A p-value as people compare it with α: `= 0.041`, `< 0.0001` (never 15 zeros).
    static func probability(_ p: Double) -> String {
        p < 0.0001 ? "< 0.0001" : "= " + DecimalText.format(p, significant: 2)
    }

    /// Wall seconds the run took; nil while it has no end.
    static func wallSeconds(_ summary: RunSummary) -> Double? {
        summary.endedAt.map { max(0, $0.timeIntervalSince(summary.startedAt)) }
    }

    /// The run's facts as label and value, in the order people ask for them.
    static func facts(_ summary: RunSummary) -> [(label: String, value: String)] {
        // The clock the samples carry, which a slipped schedule takes past the plan; one clock
        // across summary.json, samples.csv and every report.
        let passed = summary.simulatedSeconds ?? Double(summary.cyclesCompleted) * summary.intervalSeconds
        var simulated = "\(self.simulated(passed)) of \(self.simulated(summary.durationSeconds)) planned"
        if let slip = summary.evidence?.schedule, slip.factor >= 1.1 {
            simulated += " (the schedule ran \(slip.factorText) slower than planned)"
        }
        if let wall = wallSeconds(summary) {
            simulated += ", \(DurationText.format(.milliseconds(Int64(wall * 1000)), maxUnits: 2)) wall"
        }
        let integrity = summary.integrity
        let percent = DecimalText.format(integrity.percent, decimals: 1)
        let integrityText = integrity.cycles == 0
            ? "no cycles recorded"
            : "\(integrity.validCycles)/\(integrity.cycles) cycles as designed (\(percent)%)"
        var facts = [
            ("simulated", simulated),
            ("cycles", "\(summary.cyclesCompleted) of \(summary.plannedCycles), one every "
                + self.simulated(summary.intervalSeconds) + " (\(summary.scenarioKind))"),
            ("clock", clock(summary)),
            ("integrity", integrityText),
            ("target", target(summary)),
            ("requests", "\(summary.requests.total), \(summary.requests.failed) failed"),
        ]
        // The background load sits beside the scenario's requests, never inside them.
        if let load = summary.load { facts.append(("load", load.summaryText)) }
        return facts
    }

    /// The clock the run replayed on, as the verdict line names it; a stepped run also says how
    /// much faster than wall time it went, which its `accelerate` records. Older summaries,
    /// without a clock, show the scale alone.
    static func clock(_ summary: RunSummary) -> String {
        let scale = "×" + DecimalText.format(summary.accelerate, significant: 3)
        guard let clock = summary.clock else { return scale }
        return clock == "stepped" ? "stepped (\(scale) wall time)" : clock
    }

    /// How the target ended and which teardown step ended it.
    static func target(_ summary: RunSummary) -> String {
        let exit = summary.targetExit.map(\.description)
            ?? (summary.status == .running ? "still running" : "exit not recorded")
        switch summary.teardown {
        case nil: return exit
        case .alreadyExited: return exit + ", before teardown (on its own)"
        case .sigterm: return exit + ", teardown: SIGTERM within the grace period"
        case .sigkill: return exit + ", teardown: SIGKILL after ignoring SIGTERM"
        }
    }

    /// The metrics the run verdict rests on (see `Metric.decidesVerdict`).
    static func judged(_ summary: RunSummary) -> [MetricAnalysis] {
        summary.analysis.metrics.filter(\.metric.decidesVerdict)
    }
}
