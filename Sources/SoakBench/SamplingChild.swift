import Glibc
import PosixSupport
import SoakRun

/// The hidden `soak bench --sample-child` mode: our sampler alone in a process, sampling a pid at a
/// fixed rate for a fixed time, so it is measured from outside exactly as psrecord and mprof are.
///
/// Each sample appends "UNIX_SECONDS RSS_BYTES" to the log with one `write`, so the bench can
/// count samples between two moments and compare RSS readings at the same moments.
package enum SamplingChild {
    /// Samples `pid` every `interval` seconds for `seconds`; returns the exit status.
    package static func run(pid: pid_t, interval: Double, seconds: Double, mode: SamplingMode, log: String) -> Int32 {
        guard let descriptor = try? FileDescriptor.open(log, O_WRONLY | O_CREAT | O_TRUNC) else { return 2 }
        defer { try? descriptor.close() }
        let sampler = ProcessTreeSampler(rootPID: pid, mode: mode)
        let start = BenchProcess.monotonicSeconds()
        var next = start
        while BenchProcess.monotonicSeconds() - start < seconds {
            let sample = sampler.sample()
            guard sample.processes > 0 else { return 1 }
            let line = "\(BenchFormat.fixed(BenchProcess.unixSeconds(), decimals: 4)) \(sample.rssBytes ?? -1)\n"
            try? descriptor.writeAll(line)
            next += interval
            // Sleep to the next tick rather than for a fixed time, so the rate holds under load.
            let wait = next - BenchProcess.monotonicSeconds()
            if wait > 0 { MonotonicClock.sleep(until: .seconds(next)) } else { next = BenchProcess.monotonicSeconds() }
        }
        return 0
    }
}
