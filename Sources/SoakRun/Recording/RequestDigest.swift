import SoakAnalysis

/// What the judge and the reports take from the request log, gathered one request at a time so
/// that a long run's log is never held whole (a million requests held as events took 190 MB):
/// counts, integrity, latency percentiles, each cycle's request time and the latency chart.
///
/// Bounded but for what must stay exact: the latency of each successful request (8 bytes, for the
/// exact percentiles the summary states), one sum per cycle (the schedule's median) and one bit
/// per cycle number (integrity).
package struct RequestDigest: Sendable {
    /// Request lines read.
    package private(set) var count = 0
    private var failed = 0
    private var firstFailure: String?
    private var coldLatencies: [Double] = []
    private var warmLatencies: [Double] = []
    private var firstViolation: String?
    private var firstViolationKind: RequestProblem.Kind?
    private var cycles = CycleMarks()
    /// Wall milliseconds of consecutive requests of one cycle, summed, in log order.
    package private(set) var cycleMilliseconds: [Double] = []
    private var lastCycle: Int?
    /// Latency over simulated time, min/max per time bin.
    package private(set) var chart = RequestChart()

    package init() {}

    /// The digest of `events`, in order.
    package init(_ events: [RequestEvent]) {
        for event in events { add(event) }
    }

    package mutating func add(_ event: RequestEvent) {
        count += 1
        if !event.ok, firstViolation == nil {
            firstViolation = event.violation.map { "cycle \(event.cycle), \(event.method) \(event.path): \($0)" }
                ?? "cycle \(event.cycle): \(event.path) found tenant \(event.tenantWas ?? "?"), "
                + "artifact \(event.artifactWas ?? "?")"
            firstViolationKind = event.succeeded ? .state : .request
        }
        cycles.mark(event.cycle, ok: event.ok)
        // An edited log out of cycle order only splits a cycle's sum in two, which a median barely notices.
        if event.cycle == lastCycle, !cycleMilliseconds.isEmpty {
            cycleMilliseconds[cycleMilliseconds.count - 1] += event.latencyMilliseconds
        } else {
            cycleMilliseconds.append(event.latencyMilliseconds)
            lastCycle = event.cycle
        }
        chart.add(event)
        guard event.succeeded else {
            failed += 1
            if firstFailure == nil { firstFailure = event.failureText }
            return
        }
        if event.isCold {
            coldLatencies.append(event.latencyMilliseconds)
        } else {
            warmLatencies.append(event.latencyMilliseconds)
        }
    }

    /// Integrity from the log: a cycle is valid when every request in it found what the scenario
    /// expects, wherever its lines are in the file.
    package var integrity: Integrity {
        var integrity = Integrity()
        integrity.cycles = cycles.count
        integrity.validCycles = cycles.validCount
        integrity.firstViolation = firstViolation
        integrity.firstViolationKind = firstViolationKind
        return integrity
    }

    /// Counts and cold/warm latency.
    package var summary: RequestSummary {
        var summary = RequestSummary()
        summary.total = count
        summary.failed = failed
        summary.firstFailure = firstFailure
        summary.cold = LatencySummary(latencies: coldLatencies)
        summary.warm = LatencySummary(latencies: warmLatencies)
        return summary
    }
}

/// Which cycle numbers were seen, and which of them had a request that broke integrity: a bit
/// each for the cycle numbers a run can have, a table for any others (a damaged log's).
struct CycleMarks: Sendable {
    private static let bitLimit = 1 << 24
    private var seen: [UInt64] = []
    private var broken: [UInt64] = []
    private var other: [Int: Bool] = [:]

    mutating func mark(_ cycle: Int, ok: Bool) {
        guard cycle >= 0, cycle < Self.bitLimit else {
            other[cycle] = (other[cycle] ?? true) && ok
            return
        }
        let word = cycle >> 6, bit = UInt64(1) << UInt64(cycle & 63)
        if word >= seen.count {
            let grown = max(word + 1, seen.count * 2)
            seen += [UInt64](repeating: 0, count: grown - seen.count)
            broken += [UInt64](repeating: 0, count: grown - broken.count)
        }
        seen[word] |= bit
        if !ok { broken[word] |= bit }
    }

    var count: Int { seen.reduce(0) { $0 + $1.nonzeroBitCount } + other.count }

    var validCount: Int {
        zip(seen, broken).reduce(0) { $0 + ($1.0 & ~$1.1).nonzeroBitCount } + other.values.filter { $0 }.count
    }
}

/// Request latency over simulated time for the report's chart, split as the chart draws it:
/// successful cold, successful warm and failed requests, each at most `ChartEnvelope.maxPoints`
/// points (the lowest and highest latency of each time bin, so a spike always shows).
package struct RequestChart: Sendable {
    package private(set) var cold = ChartEnvelope()
    package private(set) var warm = ChartEnvelope()
    package private(set) var failed = ChartEnvelope()
    package private(set) var coldCount = 0
    package private(set) var warmCount = 0
    package private(set) var failedCount = 0
    /// Simulated seconds of the first and the last request in time; nil without requests.
    package private(set) var timeSpan: ClosedRange<Double>?

    package init() {}

    /// The chart of `events`.
    package init(_ events: [RequestEvent]) {
        for event in events { add(event) }
    }

    package mutating func add(_ event: RequestEvent) {
        let t = event.simSeconds
        // A time no chart can place (never in a log soak wrote) is counted but not drawn.
        guard t.isFinite else {
            if !event.succeeded { failedCount += 1 } else if event.isCold { coldCount += 1 } else { warmCount += 1 }
            return
        }
        timeSpan = timeSpan.map { min($0.lowerBound, t)...max($0.upperBound, t) } ?? t...t
        if !event.succeeded {
            failedCount += 1
            failed.add(x: t, y: event.latencyMilliseconds)
        } else if event.isCold {
            coldCount += 1
            cold.add(x: t, y: event.latencyMilliseconds)
        } else {
            warmCount += 1
            warm.add(x: t, y: event.latencyMilliseconds)
        }
    }
}
