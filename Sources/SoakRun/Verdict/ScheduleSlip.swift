import SoakAnalysis
import SoakUnits

/// How far a run's schedule fell behind its plan.
///
/// The driver never shortens an idle period: when a cycle's requests take longer than planned,
/// every later cycle moves back (see `ScenarioDriver`). A run planned as 7,500 cycles in 150 s of
/// simulated time can so take 810 s, and its per-hour slopes then depend on which of the two
/// clocks one reads. The samples carry the clock that really passed; this compares it with the
/// plan for the cycles they reach, and a slip beyond `bound` makes the run invalid with the cause
/// named, since the scenario the profile describes is not the one that ran.
package struct ScheduleSlip: Codable, Sendable, Equatable {
    /// Simulated seconds the samples reach.
    package var simulatedSeconds: Double
    /// Simulated seconds the plan gives for the cycles they reach.
    package var plannedSeconds: Double
    /// `simulatedSeconds ÷ plannedSeconds`: 1 on schedule.
    package var factor: Double
    /// Median wall milliseconds a cycle's requests took, together; nil without requests.
    package var requestMillisecondsPerCycle: Double?
    /// The interval in wall milliseconds at the run's scale.
    package var intervalWallMilliseconds: Double

    /// A schedule slower than this is not the scenario the profile describes.
    package static let bound = 1.5

    enum CodingKeys: String, CodingKey {
        case factor
        case simulatedSeconds = "simulated_s"
        case plannedSeconds = "planned_s"
        case requestMillisecondsPerCycle = "request_ms_per_cycle"
        case intervalWallMilliseconds = "interval_wall_ms"
    }

    /// Nil when the samples reach too few cycles to tell a slip from the phase of the last sample.
    init?(coverage: SampleCoverage, intervalSeconds: Double, accelerate: Double, requests: [RequestEvent]) {
        self.init(coverage: coverage, intervalSeconds: intervalSeconds, accelerate: accelerate,
                  cycleMilliseconds: RequestDigest(requests).cycleMilliseconds)
    }

    /// As above, from the wall milliseconds of each cycle's requests (`RequestDigest`).
    init?(coverage: SampleCoverage, intervalSeconds: Double, accelerate: Double, cycleMilliseconds: [Double]) {
        guard let lastCycle = coverage.lastCycle, lastCycle >= 4, let simulated = coverage.lastSimSeconds,
              intervalSeconds > 0, accelerate > 0 else { return nil }
        // Samples labelled cycle k lie before the start of cycle k + 1 on the plan.
        plannedSeconds = Double(lastCycle + 1) * intervalSeconds
        simulatedSeconds = simulated
        factor = simulated / plannedSeconds
        intervalWallMilliseconds = intervalSeconds / accelerate * 1000
        var times = cycleMilliseconds
        requestMillisecondsPerCycle = times.isEmpty ? nil : OrderStatistics.median(&times)
    }

    /// Whether the slip is beyond the bound.
    package var isBeyondBound: Bool { factor > Self.bound }

    /// The factor as people read it (`5.4x`). A damaged sim_seconds of 1e308 would print 300
    /// digits; past 10,000x the figure is noise.
    package var factorText: String {
        factor.isFinite && factor <= 10_000 ? DecimalText.format(factor, decimals: 1) + "x" : "over 10000x"
    }

    /// The slip and its cause, for the verdict line and the reports.
    package var sentence: String {
        var text = "the schedule ran \(factorText) slower than planned "
            + "(the samples reach \(Self.duration(simulatedSeconds)) of simulated time, the plan "
            + "\(Self.duration(plannedSeconds)); the bound is \(DecimalText.format(Self.bound, decimals: 1))x)"
        let interval = DecimalText.format(intervalWallMilliseconds, significant: 3)
        if let taken = requestMillisecondsPerCycle, taken * 2 >= intervalWallMilliseconds {
            text += ": requests take \(DecimalText.format(taken, significant: 3)) ms a cycle, longer than "
                + "the \(interval) ms interval; lengthen scenario.interval or lower --accelerate"
        } else {
            text += ": the harness could not keep to a \(interval) ms interval on this machine; lower --accelerate"
        }
        return text
    }

    private static func duration(_ seconds: Double) -> String {
        DurationText.format(.milliseconds(Int64(min(seconds, 1e15) * 1000)), maxUnits: 2)
    }
}
