import FoundationEssentials

/// `soak bench runtime`: tenantd's start-up with many tenants (lazy against eager), the first
/// request to a cold tenant against its artifact count (ghost against no-ghost), and warm
/// request throughput.
enum RuntimeBench {
    static func run(_ context: BenchContext) throws -> BenchSuiteResult {
        var result = BenchSuiteResult(name: "runtime")
        let parts = context.runtimeParts
        if parts.contains(.startup) { try startup(context, into: &result) }
        if parts.contains(.firstRequest) { try FirstRequestBench.run(context, into: &result) }
        if parts.contains(.http) { try ThroughputBench.run(context, into: &result) }
        return result
    }

    /// Spawn to the "listening on" line, for 1k and 10k tenants, lazy and `--eager '*'`.
    private static func startup(_ context: BenchContext, into result: inout BenchSuiteResult) throws {
        let counts = [1_000, 10_000]
        result.notes.append("Start-up: registries seeded with `tenantd seed --tenants N --artifacts 1 --kind service "
            + "--payload-kb 4`; wall time from spawn to the \"listening on\" line, \(context.repeats) repeats each.")
        var table = BenchTable(
            title: "tenantd start-up (ms)", columns: ["tenants", "lazy", "eager '*'", "eager / lazy"])
        var lazy: [BenchChart.Point] = [], eager: [BenchChart.Point] = []
        var lazyMedians: [Double] = [], eagerMedians: [Double] = []
        for count in counts {
            let registry = try context.scratch("runtime-startup-\(count)")
            try context.seed(tenants: count, artifacts: 1, payloadKB: 4, into: registry)
            var figures: [String: [Double]] = [:]
            for index in 0..<context.repeats {
                // Alternated, so a slow moment of the machine does not favour one mode.
                for (mode, flags) in [("lazy", [String]()), ("eager", ["--eager", "*"])] {
                    let (process, _, seconds) = try context.startTenantd(
                        registry: registry, flags, logs: "\(context.work)/startup-\(count)-\(mode)-\(index)")
                    _ = process.terminate(grace: .seconds(5))
                    figures[mode, default: []].append(seconds * 1000)
                }
            }
            let lazyStats = result.measure("runtime.startup.\(count).lazy_ms", unit: "ms", figures["lazy"] ?? [])
            let eagerStats = result.measure("runtime.startup.\(count).eager_ms", unit: "ms", figures["eager"] ?? [])
            table.rows.append(["\(count)", lazyStats.text(BenchFormat.number), eagerStats.text(BenchFormat.number),
                               BenchFormat.number(eagerStats.median / lazyStats.median)])
            lazy.append(BenchChart.Point(x: Double(count), lazyStats))
            eager.append(BenchChart.Point(x: Double(count), eagerStats))
            lazyMedians.append(lazyStats.median)
            eagerMedians.append(eagerStats.median)
            try? FileManager.default.removeItem(atPath: registry)
        }
        result.tables.append(table)
        result.charts.append(BenchChart(
            file: "runtime-startup.svg", title: "tenantd start-up against tenants", xLabel: "tenants",
            yLabel: "ms to \"listening on\"", logX: true, logY: true,
            series: [BenchChart.Series(name: "lazy", points: lazy),
                     BenchChart.Series(name: "eager '*'", points: eager)]))
        let lazyGrowth = lazyMedians[1] / lazyMedians[0], eagerGrowth = eagerMedians[1] / eagerMedians[0]
        result.bars.append(BenchBar(
            target: "runtime: lazy start-up flat from 1k to 10k tenants (eager grows)",
            measured: "lazy \(BenchFormat.number(lazyMedians[0]))→\(BenchFormat.number(lazyMedians[1])) ms "
                + "(\(BenchFormat.number(lazyGrowth))x); eager \(BenchFormat.number(eagerMedians[0]))→"
                + "\(BenchFormat.number(eagerMedians[1])) ms (\(BenchFormat.number(eagerGrowth))x)",
            met: lazyGrowth < 1.5 && eagerGrowth > lazyGrowth,
            reason: "flat taken as under 1.5x for 10x the tenants, medians"))
    }
}
