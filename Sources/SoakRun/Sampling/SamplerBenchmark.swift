import Glibc
import PosixSupport

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

    /// The thread's CPU clock in microseconds.
    private static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }
}
