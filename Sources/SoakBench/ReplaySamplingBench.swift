import Glibc
import SoakProfiles
import SoakRun

/// The mean cost per sample over the sequence of samples of a real replay (the shipped 8-day
/// `service-lazy-loading` profile: its periodic samples per cycle, then a trough), each kind
/// reading the files the profile's `sampling.reads` gives it, against the same sequence reading
/// status and stat only. Per-file costs say little on their own: what a run pays is the mix.
enum ReplaySamplingBench {
    static func run(_ context: BenchContext, target: pid_t, into result: inout BenchSuiteResult) throws {
        guard let directory = ProfileCatalog.locate().directory else {
            throw BenchError("bench: cannot find the shipped Profiles/ folder (set LAZYSOAK_PROFILES)")
        }
        let profile = try ProfileLoader.load(file: "\(directory)/service-lazy-loading.json")
        // As the scenario driver schedules them at the profile's acceleration: periodic samples every
        // `every` of simulated time but never closer than `minimumWallPeriod`, and one trough per cycle.
        let scale = profile.accelerate
        let periodicWall = max(profile.sampling.every / scale, profile.sampling.minimumWallPeriod)
        let periodicPerCycle = (profile.scenario.interval / scale) / periodicWall
        let cycles = context.quick ? 500 : 3_840  // the 8-day replay's cycle count
        var full: [Double] = [], minimal: [Double] = [], ratios: [Double] = []
        for _ in 0..<context.repeats {
            // Paired and interleaved, so both see the same machine load.
            let profiled = SamplerBenchmark.measureReplay(
                pid: target, cycles: cycles, periodicPerCycle: periodicPerCycle, reads: profile.sampling.reads)
            let cheap = SamplerBenchmark.measureReplay(
                pid: target, cycles: cycles, periodicPerCycle: periodicPerCycle,
                reads: SampleReads(periodic: [.status], trough: [.status]))
            full.append(profiled.cpuMicrosPerSample)
            minimal.append(cheap.cpuMicrosPerSample)
            ratios.append(profiled.cpuMicrosPerSample / cheap.cpuMicrosPerSample)
        }
        let reads = profile.sampling.reads
        result.notes.append("Replay sampling: \(cycles) cycles of \(periodicPerCycle) periodic samples and a trough at \(Int(scale))x "
            + "(service-lazy-loading: \(BenchFormat.number(periodicPerCycle)) periodic samples per cycle; every \(profile.sampling.every), interval \(profile.scenario.interval)); "
            + "periodic samples read stat, \(reads.periodic.nameList.joined(separator: ", ")); troughs read stat, "
            + "\(reads.trough.nameList.joined(separator: ", ")), smaps_rollup on one in \(reads.smapsRollupEvery) of those. The RSS+CPU set reads stat and status on every sample.")
        let profiledStats = result.measure("sampling.replay.profile.cpu_us", unit: "µs", full)
        let minimalStats = result.measure("sampling.replay.rss_cpu.cpu_us", unit: "µs", minimal)
        let ratio = result.measure("sampling.replay.profile_over_rss_cpu", unit: "x", ratios)
        result.tables.append(BenchTable(
            title: "Mean CPU per sample over a replay (µs)", columns: ["reads", "µs per sample"],
            rows: [["profile (full set where the analysis uses it)", profiledStats.text(BenchFormat.number)],
                   ["RSS + CPU (status, stat)", minimalStats.text(BenchFormat.number)],
                   ["ratio", ratio.text(BenchFormat.number)]]))
        result.bars.append(BenchBar(
            target: "sampling: mean cost per sample over a replay, full set ÷ RSS+CPU set ≤ 1.5x",
            measured: "\(profiledStats.text(BenchFormat.number)) µs vs \(minimalStats.text(BenchFormat.number)) µs: "
                + "\(ratio.text(BenchFormat.number))x",
            met: ratio.median <= 1.5, reason: "median ratio of paired repeats"))
    }
}
