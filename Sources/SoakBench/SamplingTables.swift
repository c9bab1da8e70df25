/// Turns the sampling suite's windows into tables, a chart, the psrecord bar and the RSS
/// accuracy comparison.
enum SamplingTables {
    static let order = ["ours rss-cpu", "ours full", "psrecord", "mprof"]

    static func add(_ collected: [String: [Double: [SamplingWindow.Outcome]]], rates: [Double],
                    window: SamplingWindow, into result: inout BenchSuiteResult) {
        let tools = order.filter { collected[$0] != nil }
        result.notes.append("Rate windows: each sampler runs as its own process, all watching the target together "
            + "for \(Int(window.seconds)) s after \(BenchFormat.number(window.warmup)) s of warm-up. CPU per sample = "
            + "CPU time of the tool's process (/proc/PID/task/*/schedstat, ns) over the window ÷ log lines it wrote "
            + "in the window (one flushed line per sample). Our tool is `soak bench --sample-child` (the sampler "
            + "plus a log line per sample, like the peers).")
        var cpu = BenchTable(title: "CPU per sample at a fixed rate, separate processes (µs)",
                             columns: ["tool"] + rates.map { "\(Int($0)) Hz" } + ["× ours rss-cpu"])
        var rss = BenchTable(
            title: "RSS of the sampling process (MiB)", columns: ["tool"] + rates.map { "\(Int($0)) Hz" })
        var series: [BenchChart.Series] = []
        let slug = { (name: String) in name.replacing(" ", with: "-") }
        for tool in tools {
            var cpuRow = [tool], rssRow = [tool]
            var points: [BenchChart.Point] = []
            var ratios: [Double] = []
            for rate in rates {
                let outcomes = collected[tool]?[rate] ?? []
                let cost = result.measure("sampling.\(slug(tool)).\(Int(rate))hz.cpu_us", unit: "µs",
                                          outcomes.map(\.cpuMicrosPerSample))
                let memory = result.measure("sampling.\(slug(tool)).\(Int(rate))hz.rss_bytes", unit: "bytes",
                                            outcomes.map(\.rssBytes))
                cpuRow.append(cost.text(BenchFormat.number))
                rssRow.append(memory.text { BenchFormat.fixed($0 / 1_048_576, decimals: 1) })
                if !outcomes.isEmpty { points.append(BenchChart.Point(x: rate, cost)) }
                let ours = collected[order[0]]?[rate] ?? []
                ratios += zip(outcomes, ours).map { $0.cpuMicrosPerSample / $1.cpuMicrosPerSample }
            }
            let ratio = result.measure("sampling.\(slug(tool)).over_ours", unit: "x", ratios)
            cpuRow.append(ratio.text(BenchFormat.number))
            cpu.rows.append(cpuRow)
            rss.rows.append(rssRow)
            series.append(BenchChart.Series(name: tool, points: points))
            if tool == "psrecord" {
                // The bar's own terms: our sampler back to back (the figure held against the C floor)
                // against psrecord's cost per sample; the same-window ratio adds our process's wake-ups.
                let ours = result.measurements.first { $0.name == "sampling.ours.rss-cpu.cpu_us" }?.statistics
                let theirs = RepeatStatistics(collected[tool]?.values.flatMap { $0.map(\.cpuMicrosPerSample) } ?? [])
                let backToBack = ours.map { theirs.median / $0.median } ?? .nan
                result.bars.append(BenchBar(
                    target: "sampling: more than 15x below psrecord's CPU per sample",
                    measured: "psrecord \(BenchFormat.number(theirs.median)) µs per sample: "
                        + "\(BenchFormat.number(backToBack))x our back-to-back sample; "
                        + "\(ratio.text(BenchFormat.number))x our sampling process in the same windows",
                    met: backToBack.isNaN ? nil : backToBack > 15,
                    reason: "medians; judged on the back-to-back figure, as the bar states it"))
            }
        }
        if tools.contains("psrecord") == false {
            result.bars.append(BenchBar(target: "sampling: more than 15x below psrecord's CPU per sample",
                                        measured: "n/a", met: nil, reason: "psrecord is not installed"))
        }
        result.tables += [cpu, rss]
        result.charts.append(BenchChart(
            file: "sampling-cpu-per-sample.svg", title: "CPU per sample against sample rate",
            xLabel: "samples per second",
            yLabel: "CPU µs per sample", logX: true, logY: true, series: series))
        result.tables.append(accuracy(collected, tools: tools, into: &result))
    }

    /// Each peer's RSS readings against ours at the nearest moment (within half a period).
    private static func accuracy(_ collected: [String: [Double: [SamplingWindow.Outcome]]], tools: [String],
                                 into result: inout BenchSuiteResult) -> BenchTable {
        var table = BenchTable(
            title: "RSS readings against ours (rss-cpu) at the same moments",
            columns: ["tool", "pairs", "median |Δ| KiB", "max |Δ| KiB", "median |Δ| %", "median RSS MiB"])
        for tool in tools where tool != order[0] {
            var differences: [Double] = [], relative: [Double] = [], levels: [Double] = []
            for (rate, outcomes) in collected[tool] ?? [:] {
                let ours = collected[order[0]]?[rate] ?? []
                for (theirs, mine) in zip(outcomes, ours) {
                    let reference = mine.readings.sorted { $0.0 < $1.0 }
                    for (time, value) in theirs.readings {
                        guard let nearest = nearest(reference, to: time), Swift.abs(nearest.0 - time) <= 0.5 / rate
                        else { continue }
                        differences.append(Swift.abs(value - nearest.1) / 1024)
                        relative.append(Swift.abs(value - nearest.1) / nearest.1 * 100)
                        levels.append(nearest.1 / 1_048_576)
                    }
                }
            }
            let slug = tool.replacing(" ", with: "-")
            let median = result.measure("sampling.\(slug).rss_abs_diff_kib", unit: "KiB", differences)
            let share = result.measure("sampling.\(slug).rss_abs_diff_pct", unit: "%", relative)
            let level = RepeatStatistics(levels)
            table.rows.append([tool, "\(differences.count)", BenchFormat.number(median.median),
                               BenchFormat.number(median.max), BenchFormat.number(share.median),
                               BenchFormat.number(level.median)])
        }
        return table
    }

    private static func nearest(_ sorted: [(Double, Double)], to time: Double) -> (Double, Double)? {
        guard !sorted.isEmpty else { return nil }
        var low = 0, high = sorted.count - 1
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].0 < time { low = middle + 1 } else { high = middle }
        }
        let candidates = [sorted[low], sorted[max(0, low - 1)]]
        return candidates.min { Swift.abs($0.0 - time) < Swift.abs($1.0 - time) }
    }
}
