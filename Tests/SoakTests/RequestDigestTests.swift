import Testing
@testable import SoakAnalysis
@testable import SoakRun

@Suite("The request log summarised as it is read")
struct RequestDigestTests {
    static func event(cycle: Int, t: Double, latency: Double, ok: Bool = true, succeeded: Bool = true,
                      cold: Bool = false) -> RequestEvent {
        RequestEvent(cycle: cycle, simSeconds: t, path: "/t/t1/a1.service", status: succeeded ? 200 : 503,
                     latencyMilliseconds: latency, tenantWas: "loaded", artifactWas: cold ? "ghost" : "actual",
                     ok: ok, succeeded: succeeded, failure: nil, violation: ok ? nil : "found actual")
    }

    /// Integrity as a table of every cycle: what the digest must give in any line order.
    static func tableIntegrity(_ events: [RequestEvent]) -> (cycles: Int, valid: Int) {
        var valid: [Int: Bool] = [:]
        for event in events { valid[event.cycle] = (valid[event.cycle] ?? true) && event.ok }
        return (valid.count, valid.values.filter { $0 }.count)
    }

    @Test("integrity counts each cycle once, in order or not, with far-off cycle numbers")
    func integrity() {
        var generator = SplitMix64(seed: 3)
        var events = (0..<3_000).map { index in
            Self.event(cycle: index / 3, t: Double(index), latency: 1, ok: generator.next() % 50 != 0)
        }
        events += [Self.event(cycle: -4, t: 1, latency: 1), Self.event(cycle: 1 << 40, t: 2, latency: 1, ok: false)]
        for order in [events, events.reversed(), events.shuffled(using: &generator)] {
            let integrity = RequestDigest(order).integrity
            let expected = Self.tableIntegrity(order)
            #expect(integrity.cycles == expected.cycles && integrity.validCycles == expected.valid)
            #expect(integrity.firstViolation?.contains("found actual") == true)
        }
    }

    @Test("a million requests chart in bounded points, and a single spike is still drawn")
    func boundedChart() {
        var digest = RequestDigest()
        for index in 0..<1_000_000 {
            let spike = index == 654_321
            digest.add(Self.event(cycle: index / 100, t: Double(index) * 0.5, latency: spike ? 900 : 0.3,
                                  cold: index % 100 == 0))
        }
        let chart = digest.chart
        #expect(chart.coldCount == 10_000 && chart.warmCount == 990_000 && chart.failedCount == 0)
        #expect(chart.warm.points.count <= ChartEnvelope.maxPoints && chart.cold.points.count <= ChartEnvelope.maxPoints)
        #expect(chart.warm.points.contains { $0.y == 900 }, "the spike survives the binning")
        #expect(chart.timeSpan == 0...499_999.5)
        let summary = digest.summary
        #expect(summary.total == 1_000_000 && summary.warm.maxMilliseconds == 900 && summary.warm.p99Milliseconds == 0.3)
        #expect(digest.cycleMilliseconds.count == 10_000)
    }

    @Test("failed requests are counted, charted and named once")
    func failures() {
        let events = [Self.event(cycle: 0, t: 0, latency: 2, cold: true),
                      Self.event(cycle: 1, t: 180, latency: 5000, ok: false, succeeded: false),
                      Self.event(cycle: 2, t: 360, latency: 1)]
        let digest = RequestDigest(events)
        #expect(digest.summary.failed == 1 && digest.summary.firstFailure?.contains("/t/t1/a1.service") == true)
        #expect(digest.chart.failed.points == [ChartEnvelope.Point(x: 180, y: 5000)])
        #expect(digest.cycleMilliseconds == [2, 5000, 1])
        #expect(digest.integrity.validCycles == 2 && digest.integrity.cycles == 3)
    }
}
