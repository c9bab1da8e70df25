import Glibc
import SoakRun

/// The hidden `soak bench --sample-child` mode: our sampler alone in a process, sampling a pid at a
/// fixed rate for a fixed time, so it is measured from outside exactly as psrecord and mprof are.
///
/// Each sample appends "UNIX_SECONDS RSS_BYTES" to the log with one `write`, so the bench can
/// count samples between two moments and compare RSS readings at the same moments.
package enum SamplingChild {
    /// Samples `pid` every `interval` seconds for `seconds`; returns the exit status.
    package static func run(pid: pid_t, interval: Double, seconds: Double, mode: SamplingMode, log: String) -> Int32 {
        let descriptor = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return 2 }
        defer { close(descriptor) }
        let sampler = ProcessTreeSampler(rootPID: pid, mode: mode)
        let start = BenchProcess.monotonicSeconds()
        var next = start
        while BenchProcess.monotonicSeconds() - start < seconds {
            let sample = sampler.sample()
            guard sample.processes > 0 else { return 1 }
            var line = "\(BenchFormat.fixed(BenchProcess.unixSeconds(), decimals: 4)) \(sample.rssBytes ?? -1)\n"
            _ = line.withUTF8 { write(descriptor, $0.baseAddress, $0.count) }
            next += interval
            // Sleep to the next tick rather than for a fixed time, so the rate holds under load.
            let wait = next - BenchProcess.monotonicSeconds()
            if wait > 0 { usleep(UInt32(wait * 1e6)) } else { next = BenchProcess.monotonicSeconds() }
        }
        return 0
    }
}
