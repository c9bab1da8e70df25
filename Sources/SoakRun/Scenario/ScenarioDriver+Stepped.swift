import SoakAnalysis

extension ScenarioDriver {
    /// Replays the scenario on the target's stepped clock: nothing waits for wall time.
    ///
    /// Each cycle advances the target to the cycle's request time and waits for it to settle
    /// (every deadline up to then processed), takes the trough sample there, then sends the
    /// requests at that same simulated time and records them. The advance after them rides
    /// behind the last request on its connection when the sender can pipeline the two: the
    /// target answers the request before it moves its clock, so nothing changes but a round trip. Periodic samples fall every
    /// `sampling.every` of simulated time in between (no denser than the profile's scaled clock
    /// would take them), each after its own advance. Because the
    /// target settles before anything looks at it, what a request finds depends on simulated time
    /// alone: an integrity failure here is a bug in the target, never the scheduler's doing.
    func runStepped(on timeline: any VirtualTimeline) -> Result {
        let cycles = plan.scenario.cycles
        let interval = plan.scenario.interval
        let duration = plan.scenario.duration
        // As densely as the profile's own scaled clock would sample (it waits at least
        // `minimumWallPeriod` of wall time between periodic samples, which at `scale` is this much
        // simulated time), so stepped and scaled runs of one profile have series of one density.
        let every = max(sampling.every, sampling.minimumWallPeriod * scale)
        let start = clock.now
        var result = Result()
        var lastSample: SampleRow?
        var nextPeriodic = Duration.zero

        // Advances the target and waits for it to settle; false when the run must stop.
        func settle(at time: Duration) -> Bool {
            if let stop = shouldStop() {
                result.stoppedBy = stop
                return false
            }
            if case .failure(let error) = timeline.advance(to: time) {
                // A target that exited explains a failed advance better than the advance does.
                result.stoppedBy = shouldStop() ?? .clockFailed(error.description)
                return false
            }
            return true
        }

        func take(_ kind: SampleKind, cycle: Int, at time: Duration) {
            var row = sampler.takeSample(kind: kind)
            row.kind = kind
            row[.wallSeconds] = (clock.now - start).secondsValue
            row[.simSeconds] = time.secondsValue
            row[.cycle] = Double(cycle)
            sink.record(sample: row)
            lastSample = row
        }

        func samplePeriodically(before time: Duration, cycle: Int) -> Bool {
            while nextPeriodic < time {
                guard settle(at: nextPeriodic) else { return false }
                take(.periodic, cycle: cycle, at: nextPeriodic)
                nextPeriodic += every
            }
            return true
        }

        for cycle in 0..<cycles {
            let requestTime = interval * cycle
            guard samplePeriodically(before: requestTime, cycle: max(0, cycle - 1)) else { break }
            // The trough phase is the request time itself: everything due before the request has
            // been processed, and nothing of this cycle has happened yet.
            guard settle(at: requestTime) else { break }
            if cycle > 0, sampling.troughs { take(.trough, cycle: cycle, at: requestTime) }
            // The next step is to the next periodic sample or the next cycle, whichever is first:
            // it rides behind the last request, a round trip saved per cycle.
            let following = min(nextPeriodic, cycle + 1 < cycles ? interval * (cycle + 1) : duration)
            runRequests(cycle: cycle, start: start, simulated: requestTime,
                        thenAdvancing: max(following, requestTime), into: &result)
            if result.stoppedBy != nil { break }
            result.cyclesCompleted = cycle + 1
            let wall = (clock.now - start).secondsValue
            sink.progress(DriverProgress(
                cycle: cycle + 1, cycles: cycles, simSeconds: requestTime.secondsValue,
                totalSimSeconds: duration.secondsValue, wallSeconds: wall, integrity: result.integrity,
                lastSample: lastSample))
        }
        if result.stoppedBy == nil, samplePeriodically(before: duration, cycle: max(0, cycles - 1)),
           settle(at: duration), sampling.troughs {
            take(.trough, cycle: cycles, at: duration)
        }
        return result
    }
}
