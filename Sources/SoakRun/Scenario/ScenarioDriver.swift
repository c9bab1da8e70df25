import SoakAnalysis
import SoakProfiles

/// Receives what the driver produces, as it happens.
package protocol RunSink: AnyObject {
    func record(sample: SampleRow)
    func record(request: RequestRecord)
    func progress(_ progress: DriverProgress)
}

/// One request as recorded in `events.jsonl`.
package struct RequestRecord: Sendable, Equatable {
    package var cycle: Int
    package var simSeconds: Double
    package var wallSeconds: Double
    package var method = "GET"
    package var path: String
    package var outcome: RequestOutcome
    /// Whether a response came with a status the request expects (whatever state it found).
    package var succeeded: Bool
    /// Why the request broke the scenario's integrity; nil when it did not.
    package var violation: String?
}

/// Where the run stands, after each cycle.
package struct DriverProgress: Sendable {
    package var cycle: Int
    package var cycles: Int
    package var simSeconds: Double
    package var totalSimSeconds: Double
    package var wallSeconds: Double
    package var integrity: Integrity
    package var lastSample: SampleRow?

    /// Remaining wall time at the current pace of cycles (a slipped schedule runs longer than
    /// its simulated time says).
    package var etaSeconds: Double {
        guard cycle > 0 else { return 0 }
        return max(0, Double(cycles - cycle) * wallSeconds / Double(cycle))
    }

    /// How much slower than planned the cycles so far ran (simulated time passed ÷ planned for
    /// these cycles); nil before the first cycle. See `ScheduleSlip`.
    package var scheduleFactor: Double? {
        guard cycle > 0, cycles > 0, totalSimSeconds > 0 else { return nil }
        return simSeconds / (totalSimSeconds * Double(cycle) / Double(cycles))
    }
}

/// Why the driver stopped before the scenario's end.
package enum DriverStop: Sendable, Equatable {
    /// SIGINT, SIGTERM or `soak stop`.
    case interrupted
    /// The target exited or was killed.
    case targetExited
    /// On a stepped run, the target did not settle after an advance of its clock (why).
    case clockFailed(String)
}

/// Replays a scenario on the scaled clock: one cycle per `interval / scale` of wall time, with a
/// trough sample just before each cycle's requests and periodic samples in between; or, given a
/// `timeline`, on the target's stepped clock (`runStepped`), with no wall-time wait at all.
///
/// Single-threaded on purpose: samples and requests never overlap, so a trough sample always
/// sees the runtime in the same phase, and the order of events is the same at any acceleration.
package final class ScenarioDriver {
    package let plan: ScenarioPlan
    package let sampling: Profile.Sampling
    /// Simulated seconds per wall second.
    package let scale: Double
    let clock: any RunClock
    let sender: (any RequestSending)?
    let sampler: any SampleTaking
    let sink: any RunSink
    let shouldStop: () -> DriverStop?
    /// The target's virtual clock on a stepped run; nil on the scaled clock.
    let timeline: (any VirtualTimeline)?

    package init(
        plan: ScenarioPlan, sampling: Profile.Sampling, scale: Double, clock: any RunClock,
        sender: (any RequestSending)?, sampler: any SampleTaking, sink: any RunSink,
        timeline: (any VirtualTimeline)? = nil, shouldStop: @escaping () -> DriverStop?
    ) {
        self.timeline = timeline
        self.plan = plan
        self.sampling = sampling
        self.scale = scale
        self.clock = clock
        self.sender = sender
        self.sampler = sampler
        self.sink = sink
        self.shouldStop = shouldStop
    }

    /// The outcome of a replay.
    package struct Result: Sendable {
        package var cyclesCompleted = 0
        package var integrity = Integrity()
        package var requests = 0
        package var failedRequests = 0
        /// Nil when the scenario ran to its end.
        package var stoppedBy: DriverStop?
        /// Cycles that ended too late for the next slot (the harness was descheduled or a request
        /// stalled); the cycles after them were pushed back by as much.
        package var lateCycles = 0
        /// The longest such delay, in wall time.
        package var maxLateness: Duration = .zero
        /// Valid cycles whose request found its artifact or tenant past its idle deadline but not
        /// yet swept (`X-Expired-On-Arrival`): the target's sweep slipped, the meaning held.
        package var sweptLateCycles = 0
    }

    /// Runs the whole scenario, or until `shouldStop` says otherwise.
    package func run() -> Result {
        if let timeline { return runStepped(on: timeline) }
        let cycles = plan.scenario.cycles
        let interval = plan.scenario.interval / scale
        let periodic = max(sampling.every / scale, sampling.minimumWallPeriod)
        let totalSim = plan.scenario.duration.secondsValue
        let start = clock.now
        var nextPeriodic = start
        var result = Result()
        var lastSample: SampleRow?

        // Sleeps until `deadline` unless the run must stop, which a stop request or the target's
        // exit makes known at once (they wake the clock); false when it must.
        func sleep(until deadline: Duration) -> Bool {
            var stop: DriverStop?
            _ = clock.sleep(until: deadline) {
                stop = shouldStop()
                return stop != nil
            }
            guard let stop else { return true }
            result.stoppedBy = stop
            return false
        }

        func take(_ kind: SampleKind, cycle: Int) {
            var row = sampler.takeSample(kind: kind)
            let wall = (clock.now - start).secondsValue
            row.kind = kind
            row[.wallSeconds] = wall
            row[.simSeconds] = wall * scale
            row[.cycle] = Double(cycle)
            sink.record(sample: row)
            lastSample = row
        }

        // Periodic samples due before `deadline`; false when the run must stop.
        func samplePeriodically(until deadline: Duration, cycle: Int) -> Bool {
            while nextPeriodic < deadline {
                guard sleep(until: nextPeriodic) else { return false }
                take(.periodic, cycle: cycle)
                nextPeriodic += periodic
                // A slow sample must not make the sampler try to catch up in a burst.
                if nextPeriodic < clock.now { nextPeriodic = clock.now + periodic }
            }
            return true
        }

        // The runtime counts idle time from a request's end, so the next cycle may not come
        // sooner than one interval after this cycle's requests finished. On a fixed grid, a cycle
        // that started late or a request that stalled would shorten the next idle period, and the
        // runtime would rightly still hold the artifact: an integrity failure caused by the
        // harness, not by the target. Every later slot moves back instead; delays under 5% of an
        // interval (a request's own time, scheduler jitter) are left alone. The delays are
        // counted and logged, not hidden.
        var shift = Duration.zero
        let lateAllowance = interval / 20
        for cycle in 0..<cycles {
            let cycleStart = start + interval * cycle + shift
            guard samplePeriodically(until: cycleStart, cycle: max(0, cycle - 1)) else { break }
            guard sleep(until: cycleStart) else { break }
            if cycle > 0, sampling.troughs { take(.trough, cycle: cycle) }
            runRequests(cycle: cycle, start: start, simulated: nil, into: &result)
            let earliestNext = clock.now + interval - lateAllowance
            let nextSlot = cycleStart + interval
            if earliestNext > nextSlot {
                shift += earliestNext - nextSlot
                result.lateCycles += 1
                result.maxLateness = max(result.maxLateness, earliestNext - nextSlot)
            }
            result.cyclesCompleted = cycle + 1
            let wall = (clock.now - start).secondsValue
            sink.progress(DriverProgress(
                cycle: cycle + 1, cycles: cycles, simSeconds: wall * scale, totalSimSeconds: totalSim,
                wallSeconds: wall, integrity: result.integrity, lastSample: lastSample))
        }
        if result.stoppedBy == nil {
            // The last cycle's idle period belongs to the run too: sample it, then a final trough.
            let end = start + plan.scenario.duration / scale + shift
            if samplePeriodically(until: end, cycle: max(0, cycles - 1)), sleep(until: end), sampling.troughs {
                take(.trough, cycle: cycles)
            }
        }
        return result
    }
}
