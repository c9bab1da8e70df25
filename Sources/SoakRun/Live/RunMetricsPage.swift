import SoakUnits
/// The `/metrics` page of a running soak: the latest sample, progress, request counts, integrity
/// and the interim leak slopes, labelled with the profile and the run folder's name.
///
/// Names follow Prometheus conventions: `soak_` prefix, base units in the name (`_bytes`,
/// `_seconds`), `_total` on counters only, `_ratio` for 0–1 values. Slopes are per simulated hour,
/// as in the reports, so an accelerated and a real-time run read the same.
import SoakAnalysis

enum RunMetricsPage {
    static func render(_ status: RunStatus) -> String {
        let run = status.runFolder.split(separator: "/").last.map(String.init) ?? status.runFolder
        var page = PrometheusText(commonLabels: [("profile", status.profile), ("run", run)])
        let latest = status.latest ?? RunStatus.Latest()
        page.add("soak_target_rss_bytes", .gauge, help: "Resident set size of the target's process tree.",
                 value: latest.rssBytes)
        page.add("soak_target_pss_bytes", .gauge, help: "Proportional set size of the target's process tree.",
                 value: latest.pssBytes)
        page.add("soak_target_heap_in_use_bytes", .gauge, help: "Heap bytes in use in the target (mallinfo2).",
                 value: latest.heapInUseBytes)
        page.add("soak_target_live_instances", .gauge,
                 help: "Live instances of the target's main classes.", value: latest.liveInstances)
        page.add("soak_target_open_fds", .gauge, help: "Open file descriptors of the target's process tree.",
                 value: latest.fds)
        page.add("soak_target_threads", .gauge, help: "Threads of the target's process tree.", value: latest.threads)
        // Every declared column by name, so a fleet's per-process series (front_rss_anon,
        // node0_rss_anon, …) reach a Prometheus server as they reach samples.csv.
        page.add("soak_target_column", .gauge,
                 help: "The latest value of each column the target's metric sources declare, by samples.csv name.",
                 samples: (latest.declared ?? [:]).sorted { $0.key < $1.key }.map {
                     PrometheusText.Sample(labels: [("column", $0.key)], value: $0.value)
                 })
        page.add("soak_harness_rss_bytes", .gauge, help: "Resident set size of the soak harness itself.",
                 value: latest.harnessRSSBytes)
        page.add("soak_target_cpu_seconds_total", .counter, help: "CPU time used by the target's process tree.",
                 value: latest.cpuSeconds)
        page.add("soak_cycles_total", .counter, help: "Scenario cycles completed.",
                 value: Double(status.progress.cycle))
        page.add("soak_cycles_planned", .gauge, help: "Scenario cycles the run plans.",
                 value: Double(status.progress.plannedCycles))
        let requests = status.requests
        page.add("soak_requests_total", .counter,
                 help: "Scenario requests by outcome: ok, integrity_violation (wrong state found), failed.",
                 samples: [("ok", requests.ok), ("integrity_violation", requests.integrityViolations),
                           ("failed", requests.failed)].map {
                     PrometheusText.Sample(labels: [("outcome", $0.0)], value: Double($0.1))
                 })
        let integrity = status.integrity
        page.add("soak_integrity_ratio", .gauge, help: "Share of cycles that happened as designed (1 before any).",
                 value: integrity.cycles == 0 ? 1 : Double(integrity.validCycles) / Double(integrity.cycles))
        page.add("soak_simulated_seconds", .gauge, help: "Simulated time replayed so far.",
                 value: status.progress.simSeconds)
        page.add("soak_planned_simulated_seconds", .gauge, help: "Simulated time the run plans to replay.",
                 value: status.progress.totalSimSeconds)
        page.add("soak_progress_ratio", .gauge, help: "Share of the planned simulated time replayed.",
                 value: status.progress.percent / 100)
        page.add("soak_running", .gauge, help: "1 while the harness replays or prepares the run, 0 once it ended.",
                 value: status.phase == .ended ? 0 : 1)
        addSlopes(status.interim, to: &page)
        addCulprits(status.interim?.culprits ?? [], to: &page)
        return page.text
    }

    /// Interim Theil–Sen slopes and leak flags per metric, once the run has enough points.
    private static func addSlopes(_ interim: InterimVerdict?, to page: inout PrometheusText) {
        guard let interim else { return }
        func slopes(_ unit: (MetricUnit) -> Bool) -> [PrometheusText.Sample] {
            interim.metrics.filter { unit($0.metric.unit) }.compactMap { metric in
                metric.slopePerHour.map { .init(labels: [("metric", metric.metric.rawValue)], value: $0) }
            }
        }
        page.add("soak_leak_slope_bytes_per_hour", .gauge,
                 help: "Interim Theil-Sen slope of a byte metric's troughs, per simulated hour.",
                 samples: slopes { $0 == .bytes })
        page.add("soak_leak_slope_per_hour", .gauge,
                 help: "Interim Theil-Sen slope of a count metric's troughs (instances, fds, threads), "
                     + "per simulated hour.",
                 samples: slopes { $0 != .bytes })
        page.add("soak_leak_suspected", .gauge,
                 help: "1 when the interim analysis finds the metric leaking, else 0.",
                 samples: interim.metrics.map {
                     .init(labels: [("metric", $0.metric.rawValue)], value: $0.verdict == .leak ? 1 : 0)
                 })
    }

    /// The culprits followed so far: latest value, slope per cycle and whether each grows.
    private static func addCulprits(_ culprits: [InterimVerdict.Culprit], to page: inout PrometheusText) {
        func labels(_ culprit: InterimVerdict.Culprit) -> [(name: String, value: String)] {
            [("source", culprit.source.rawValue), ("name", culprit.name), ("unit", culprit.unit.rawValue)]
        }
        page.add("soak_culprit_value", .gauge,
                 help: "Latest reading of a culprit (a type's instances, a stack's or a class's live bytes).",
                 samples: culprits.compactMap { culprit in culprit.last.map { .init(labels: labels(culprit), value: $0) } })
        page.add("soak_culprit_slope_per_cycle", .gauge,
                 help: "Interim Theil-Sen slope of a culprit per cycle, in its unit.",
                 samples: culprits.compactMap { culprit in
                     culprit.slopePerCycle.map { .init(labels: labels(culprit), value: $0) }
                 })
        page.add("soak_culprit_growing", .gauge,
                 help: "1 when the interim analysis finds the culprit growing (warns only), else 0.",
                 samples: culprits.map { .init(labels: labels($0), value: $0.growing ? 1 : 0) })
    }
}
