import Glibc
import PosixSupport
import SoakProfiles

/// Measures what sampling costs, for `soak bench sampling` and for comparing with the C floor
/// in `ci/bench/proc-floor.c`.
package enum SamplerBenchmark {
    /// The cost of one sample, averaged over a run.
    package struct Result: Sendable, Equatable {
        /// CPU time of the sampling thread per sample, in microseconds (user + system).
        package var cpuMicrosPerSample: Double
        /// Elapsed time per sample, in microseconds.
        package var wallMicrosPerSample: Double
        /// Samples measured.
        package var samples: Int
        /// Processes in the tree at the last sample.
        package var processes: Int
    }

    /// Takes `samples` samples of `pid`'s tree back to back and times them.
    ///
    /// Uses the calling thread's CPU clock, so other threads of the harness do not count. The
    /// first sample (which opens the files) runs before timing; tree rediscovery keeps the
    /// sampler's default period and is amortized into the figure, as in a real run.
    package static func measure(pid: pid_t, samples: Int, mode: SamplingMode) -> Result {
        let sampler = ProcessTreeSampler(rootPID: pid, mode: mode)
        var last = sampler.sample()
        let count = max(1, samples)
        let cpuStart = now(CLOCK_THREAD_CPUTIME_ID)
        let wallStart = MonotonicClock.now
        for _ in 0..<count {
            last = sampler.sample()
        }
        let cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpuStart
        let wall = (MonotonicClock.now - wallStart).secondsValue * 1e6
        return Result(
            cpuMicrosPerSample: cpu / Double(count), wallMicrosPerSample: wall / Double(count),
            samples: count, processes: last.processes)
    }

    /// The mean cost per sample over a replay's sequence of samples: `periodicPerCycle` periodic
    /// samples then one trough, for `cycles` cycles, each kind reading what `reads` says, back to
    /// back. This is what a run's sampling costs on average, as opposed to one kind alone.
    package static func measureReplay(
        pid: pid_t, cycles: Int, periodicPerCycle: Double, reads: SampleReads
    ) -> Result {
        let sampler = ProcessTreeSampler(rootPID: pid)
        var last = sampler.sample(reading: reads.trough)
        let cpuStart = now(CLOCK_THREAD_CPUTIME_ID)
        let wallStart = MonotonicClock.now
        var count = 0, smapsWanted = 0, periodicDone = 0.0
        func take(_ wanted: ProcFiles) {
            var files = wanted
            if files.contains(.smapsRollup) {
                if smapsWanted % reads.smapsRollupEvery != 0 { files.remove(.smapsRollup) }
                smapsWanted += 1
            }
            last = sampler.sample(reading: files)
            count += 1
        }
        for cycle in 0..<max(1, cycles) {
            // A fractional rate (1.25 periodic samples per cycle) spread evenly over the cycles.
            let due = Int((Double(cycle + 1) * periodicPerCycle).rounded(.down)) - Int(periodicDone)
            for _ in 0..<due { take(reads.periodic) }
            periodicDone += Double(due)
            take(reads.trough)
        }
        let cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpuStart
        let wall = (MonotonicClock.now - wallStart).secondsValue * 1e6
        return Result(
            cpuMicrosPerSample: cpu / Double(count), wallMicrosPerSample: wall / Double(count),
            samples: count, processes: last.processes)
    }

    /// The thread's CPU clock in microseconds.
    private static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }
}
