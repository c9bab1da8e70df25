/// When a candidate is worse than its base, quantity by quantity.
///
/// - Plateau and peak: a regression when the candidate is higher than the base by more than the
///   metric's tolerance (the larger of a fraction of the base and an amount); improved when lower
///   by more than it.
/// - Slope per simulated hour (per hour so runs of different acceleration compare): a regression
///   only when the candidate grows *significantly* faster and *materially* so. Significantly: the
///   candidate's 95% lower bound is above the base's 95% upper bound, so noise in either run cannot
///   explain the difference (disjoint intervals are a stricter test than 95%). Materially: the
///   candidate's own leak analysis says it leaks, or the extra slope over the candidate's steady
///   window adds more than the metric's tolerance (measured against the base plateau). Both are
///   needed: a long run has intervals so tight that a few bytes per hour differ "significantly",
///   and a short run's slope can be large by chance.
/// - Verdict: a candidate that leaks where the base did not is a regression, whatever the sizes:
///   the analysis already held the candidate's slope to the metric's leak threshold.
/// - Latency p50 and p99, cold and warm: a regression when higher than the base by more than the
///   latency tolerance (a fraction plus a fixed number of milliseconds; latency is noisy).
/// - Integrity: any drop in the fraction of cycles that happened as designed is a regression, with
///   no tolerance, because a scenario that changed makes every other number meaningless.
/// - Run verdict: a base that passed and a candidate that did not is a regression.
import SoakAnalysis
import SoakRun
import SoakUnits

enum DiffRules {
    static func metricRows(
        _ metric: Metric, base: MetricAnalysis?, candidate: MetricAnalysis?, tolerance: MetricTolerance
    ) -> [DiffRow] {
        let name = metric.rawValue
        guard let base, let candidate else {
            let missing = base == nil ? "the base" : "the candidate"
            let row = DiffRow(
                label: name, metric: metric, base: base == nil ? "–" : "present",
                candidate: candidate == nil ? "–" : "present", change: "–", tolerance: "–", status: .notCompared,
                detail: "\(name): not recorded in \(missing), so not compared")
            return [row]
        }
        let unit = metric.unit
        return [
            level(name + " plateau", metric, base.plateau, candidate.plateau, tolerance, unit),
            slope(metric, base, candidate, tolerance),
            level(name + " peak", metric, base.peak, candidate.peak, tolerance, unit),
            verdict(metric, base, candidate),
        ]
    }

    /// Plateau or peak: higher by more than the allowance is a regression.
    static func level(
        _ label: String, _ metric: Metric, _ base: Double?, _ candidate: Double?, _ tolerance: MetricTolerance,
        _ unit: MetricUnit
    ) -> DiffRow {
        let toleranceText = DiffText.tolerance(tolerance, unit)
        guard let base, let candidate else {
            return DiffRow(
                label: label, metric: metric, base: base.map { DiffText.amount($0, unit) } ?? "–",
                candidate: candidate.map { DiffText.amount($0, unit) } ?? "–", change: "–",
                tolerance: toleranceText, status: .notCompared,
                detail: "\(label): missing in one run, so not compared")
        }
        let change = candidate - base
        let allowed = tolerance.allowance(base: base)
        let status: DiffStatus = change > allowed ? .regression : (-change > allowed ? .improved : .ok)
        let from = "\(DiffText.amount(base, unit)) → \(DiffText.amount(candidate, unit))"
        let detail = switch status {
        case .regression: "\(label) rose by \(DiffText.amount(change, unit)) (\(from)), more than the "
            + "\(DiffText.amount(allowed, unit)) allowed (\(toleranceText))"
        case .improved: "\(label) fell by \(DiffText.amount(-change, unit)) (\(from))"
        default: "\(label) \(from), within \(DiffText.amount(allowed, unit))"
        }
        return DiffRow(
            label: label, metric: metric, base: DiffText.amount(base, unit),
            candidate: DiffText.amount(candidate, unit), change: DiffText.signed(change, unit),
            tolerance: toleranceText, status: status, detail: detail)
    }

    /// Slope: significantly and materially steeper is a regression (see the type's documentation).
    static func slope(
        _ metric: Metric, _ base: MetricAnalysis, _ candidate: MetricAnalysis, _ tolerance: MetricTolerance
    ) -> DiffRow {
        let label = metric.rawValue + " slope"
        let unit = metric.unit
        let allowed = tolerance.allowance(base: base.plateau ?? 0)
        let toleranceText = "CIs apart, " + DiffText.amount(allowed, unit)
        guard let baseSlope = base.slopePerHour, let baseLow = base.lowSlopePerHour,
              let baseHigh = base.highSlopePerHour, let slope = candidate.slopePerHour,
              let low = candidate.lowSlopePerHour, let high = candidate.highSlopePerHour else {
            return DiffRow(
                label: label, metric: metric, base: DiffText.slope(base), candidate: DiffText.slope(candidate),
                change: "–", tolerance: toleranceText, status: .notCompared,
                detail: "\(label): no slope in one run (too few points), so not compared")
        }
        let hours = max(0, (candidate.windowEndSeconds ?? 0) - (candidate.windowStartSeconds ?? 0)) / 3600
        let excess = (slope - baseSlope) * hours
        let steeper = low > baseHigh
        let flatter = baseLow > high
        let status: DiffStatus
        if steeper, candidate.verdict == .leak || excess > allowed {
            status = .regression
        } else if flatter, base.verdict == .leak || -excess > allowed {
            status = .improved
        } else {
            status = .ok
        }
        let rates = "\(DiffText.slope(candidate)) against \(DiffText.slope(base))"
        let detail = switch status {
        case .regression: "\(name(metric)) grows faster: \(rates); the intervals do not overlap and "
            + (candidate.verdict == .leak ? "the candidate leaks (\(candidate.reason))"
                : "the extra \(DiffText.amount(excess, unit)) over \(hoursText(hours)) exceeds "
                    + DiffText.amount(allowed, unit))
        case .improved: "\(name(metric)) grows slower: \(rates)"
        default: "\(label): \(rates)"
        }
        return DiffRow(
            label: label, metric: metric, base: DiffText.slope(base), candidate: DiffText.slope(candidate),
            change: DiffText.signed(slope - baseSlope, unit) + "/h", tolerance: toleranceText, status: status,
            detail: detail)
    }

    /// Verdict: leaking where the base did not is a regression.
    static func verdict(_ metric: Metric, _ base: MetricAnalysis, _ candidate: MetricAnalysis) -> DiffRow {
        let label = metric.rawValue + " verdict"
        let status: DiffStatus
        let detail: String
        if candidate.verdict == .leak, base.verdict != .leak {
            status = .regression
            detail = "\(name(metric)) now leaks (base: \(base.verdict.rawValue)): \(candidate.reason)"
        } else if base.verdict == .leak, candidate.verdict == .pass {
            status = .improved
            detail = "\(name(metric)) no longer leaks"
        } else {
            status = .ok
            detail = "\(label): \(base.verdict.rawValue) → \(candidate.verdict.rawValue)"
        }
        let change = base.verdict == candidate.verdict ? "same"
            : "\(base.verdict.rawValue) → \(candidate.verdict.rawValue)"
        return DiffRow(
            label: label, metric: metric, base: base.verdict.rawValue, candidate: candidate.verdict.rawValue,
            change: change, tolerance: "no new leak", status: status, detail: detail)
    }

    static func latencyRows(
        base: RequestSummary, candidate: RequestSummary, tolerance: LatencyTolerance
    ) -> [DiffRow] {
        let kinds: [(String, KeyPath<RequestSummary, LatencySummary>)] = [("cold", \.cold), ("warm", \.warm)]
        let percentiles: [(String, KeyPath<LatencySummary, Double?>)] = [
            ("p50", \.p50Milliseconds), ("p99", \.p99Milliseconds),
        ]
        var rows: [DiffRow] = []
        for (kind, requests) in kinds {
            for (percentile, value) in percentiles {
                rows.append(latency(
                    "\(kind) \(percentile)", base[keyPath: requests][keyPath: value],
                    candidate[keyPath: requests][keyPath: value], tolerance))
            }
        }
        return rows
    }

    static func latency(
        _ label: String, _ base: Double?, _ candidate: Double?, _ tolerance: LatencyTolerance
    ) -> DiffRow {
        let toleranceText = DiffText.tolerance(tolerance)
        guard let base, let candidate else {
            return DiffRow(
                label: label, metric: nil, base: base.map(DiffText.milliseconds) ?? "–",
                candidate: candidate.map(DiffText.milliseconds) ?? "–", change: "–", tolerance: toleranceText,
                status: .notCompared, detail: "\(label): no such requests in one run, so not compared")
        }
        let change = candidate - base
        let allowed = tolerance.allowance(base: base)
        let status: DiffStatus = change > allowed ? .regression : (-change > allowed ? .improved : .ok)
        let from = "\(DiffText.milliseconds(base)) → \(DiffText.milliseconds(candidate))"
        let detail = status == .regression
            ? "\(label) latency rose by \(DiffText.milliseconds(change)) (\(from)), more than the "
                + "\(DiffText.milliseconds(allowed)) allowed (\(toleranceText))"
            : "\(label) latency \(from)"
        return DiffRow(
            label: label, metric: nil, base: DiffText.milliseconds(base), candidate: DiffText.milliseconds(candidate),
            change: DiffText.signedMilliseconds(change), tolerance: toleranceText, status: status, detail: detail)
    }

    static func integrityRow(base: Integrity, candidate: Integrity) -> DiffRow {
        let label = "integrity"
        guard base.cycles > 0, candidate.cycles > 0 else {
            return DiffRow(
                label: label, metric: nil, base: base.cycles > 0 ? DiffText.integrity(base) : "–",
                candidate: candidate.cycles > 0 ? DiffText.integrity(candidate) : "–", change: "–",
                tolerance: "no drop", status: .notCompared, detail: "integrity: no cycles in one run, so not compared")
        }
        let baseFraction = Double(base.validCycles) / Double(base.cycles)
        let fraction = Double(candidate.validCycles) / Double(candidate.cycles)
        let change = fraction - baseFraction
        let status: DiffStatus = change < 0 ? .regression : (change > 0 ? .improved : .ok)
        let detail = status == .regression
            ? "integrity dropped to \(DiffText.integrity(candidate)) from \(DiffText.integrity(base))"
                + (candidate.firstViolation.map { ": \($0)" } ?? "")
            : "integrity \(DiffText.integrity(base)) → \(DiffText.integrity(candidate))"
        let changeText = change == 0 ? "same" : (change > 0 ? "+" : "") + Percentage.format(change, decimals: 2)
        return DiffRow(
            label: label, metric: nil, base: DiffText.integrity(base), candidate: DiffText.integrity(candidate),
            change: changeText, tolerance: "no drop", status: status, detail: detail)
    }

    static func verdictRow(base: RunSummary, candidate: RunSummary) -> DiffRow {
        let status: DiffStatus = base.verdict == .pass && candidate.verdict != .pass ? .regression
            : (base.verdict != .pass && candidate.verdict == .pass ? .improved : .ok)
        let detail = status == .regression
            ? "the run no longer passes: \(candidate.verdict.rawValue): \(candidate.verdictReason)"
            : "run verdict \(base.verdict.rawValue) → \(candidate.verdict.rawValue)"
        let change = base.verdict == candidate.verdict ? "same"
            : "\(base.verdict.rawValue) → \(candidate.verdict.rawValue)"
        return DiffRow(
            label: "run verdict", metric: nil, base: base.verdict.rawValue, candidate: candidate.verdict.rawValue,
            change: change, tolerance: "pass stays pass", status: status, detail: detail)
    }

    private static func name(_ metric: Metric) -> String { metric.rawValue }

    private static func hoursText(_ hours: Double) -> String {
        DecimalText.format(hours, significant: 3) + " simulated hours"
    }
}
