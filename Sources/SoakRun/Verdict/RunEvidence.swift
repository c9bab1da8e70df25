import FoundationEssentials
import SoakAnalysis
import SoakProfiles

/// What a run folder's files prove, and where they fall short.
///
/// The numbers in a folder can only pass a run when the files that hold them are whole: a
/// `samples.csv` cut to half still fits a flat line, and an emptied `events.jsonl` reads as a run
/// that sent nothing wrong. So before any metric counts, the judge checks the record against
/// itself (`run.json`'s cycle and request counts against the rows and lines that carry them) and
/// against the profile (every metric it judges has values). Each shortfall is a sentence naming
/// the file or column, carried into `summary.json` and the verdict line.
package struct RunEvidence: Codable, Sendable, Equatable {
    /// Files missing, emptied, damaged or cut short. Any of them makes the run INVALID.
    package var damaged: [String] = []
    /// Metrics the run was to judge that have no usable value. Without a leak elsewhere, any of
    /// them makes the run INCONCLUSIVE: a metric nobody measured did not pass.
    package var unjudged: [String] = []
    /// How the schedule kept to its plan; nil when too few cycles were recorded to tell.
    package var schedule: ScheduleSlip?
    /// Files that only inform, missing, damaged or cut short (`culprits.jsonl`): named in the
    /// verdict line, never a reason to fail it. Nil when there is none (and in older summaries).
    package var warnings: [String]?

    package init() {}

    enum CodingKeys: String, CodingKey {
        case damaged, unjudged, schedule, warnings
    }

    /// Examines what a run left. `samplesFileExists` tells a missing `samples.csv` from an empty
    /// one (both give no table); `profile` is the run's own copy, nil when unreadable.
    package static func examine(
        manifest: RunManifest, samples: SampleDigest?, samplesFileExists: Bool, log: EventLog, profile: Profile?,
        analysis: LeakAnalysis
    ) -> RunEvidence {
        var evidence = RunEvidence()
        let recorded = SampleCoverage(samples)
        // Cycles the run says it completed; for a harness killed before writing them, the
        // samples and the request log are the only count.
        let claimedCycles = max(manifest.cyclesCompleted, recorded.lastCycle.map { $0 } ?? 0)
        evidence.checkSamples(recorded, exists: samplesFileExists, manifest: manifest, profile: profile)
        if manifest.scenarioKind != Profile.ScenarioKind.sampleOnly.rawValue, claimedCycles > 0 {
            evidence.checkEvents(log, manifest: manifest, claimedCycles: claimedCycles)
        }
        if let samples, samples.rowCount > 0 {
            evidence.checkValues(samples)
            evidence.checkMetrics(
                samples, analysis: analysis, expected: ExpectedMetrics.of(profile, watch: manifest.watch))
        }
        evidence.schedule = ScheduleSlip(
            coverage: recorded, intervalSeconds: manifest.intervalSeconds, accelerate: manifest.accelerate,
            cycleMilliseconds: log.digest.cycleMilliseconds)
        return evidence
    }

    private mutating func checkSamples(
        _ recorded: SampleCoverage, exists: Bool, manifest: RunManifest, profile: Profile?
    ) {
        guard manifest.cyclesCompleted > 0 else { return }
        let cycles = "run.json records \(manifest.cyclesCompleted) completed cycle(s)"
        guard recorded.rows > 0 else {
            damaged.append(exists
                ? "samples.csv has no sample, though \(cycles): the file was emptied or damaged"
                : "samples.csv is missing, though \(cycles)")
            return
        }
        guard let lastCycle = recorded.lastCycle else {
            damaged.append("samples.csv has no value in its cycle column, though \(cycles): the file is damaged")
            return
        }
        // Troughs are taken at each cycle's start, periodic samples in between; without troughs
        // the last periodic sample may lie up to one sampling period before the end.
        var allowance = 1
        if let sampling = profile?.sampling, !sampling.troughs, manifest.intervalSeconds > 0 {
            let simulatedPeriod = sampling.every.secondsValue
            allowance += Int(min(1e6, (simulatedPeriod / manifest.intervalSeconds).rounded(.up)))
        }
        if lastCycle + allowance < manifest.cyclesCompleted {
            damaged.append("samples.csv ends at cycle \(lastCycle), though \(cycles): the file was cut short "
                + "or damaged")
        }
    }

    private mutating func checkEvents(_ log: EventLog, manifest: RunManifest, claimedCycles: Int) {
        let what = "the requests of \(claimedCycles) recorded cycle(s) cannot be checked"
        if !log.exists {
            damaged.append("events.jsonl is missing: \(what)")
        } else if log.lines == 0 {
            damaged.append("events.jsonl is empty: \(what)")
        } else if log.digest.count == 0, log.lifecycle.isEmpty {
            damaged.append("events.jsonl is damaged: none of its \(log.lines) line(s) is a soak event; \(what)")
        } else if log.damagedLines > 0 {
            damaged.append("events.jsonl is damaged: \(log.damagedLines) of its \(log.lines) lines are not "
                + "soak events")
        } else if manifest.requests > log.digest.count {
            damaged.append("events.jsonl holds \(log.digest.count) of the \(manifest.requests) requests "
                + "run.json counts: the file was cut short or damaged")
        } else if manifest.integrity.cycles > 0 {
            // Both come from the same requests; a log edited after the run tells another story.
            let logged = log.digest.integrity
            if logged.cycles != manifest.integrity.cycles || logged.validCycles != manifest.integrity.validCycles {
                damaged.append("events.jsonl and run.json disagree: the log has \(logged.validCycles) of "
                    + "\(logged.cycles) cycles as designed, run.json \(manifest.integrity.validCycles) of "
                    + "\(manifest.integrity.cycles); one of them was changed after the run")
            }
        }
    }

    /// Checks `culprits.jsonl` against the readings `run.json` says were written. Culprits only
    /// warn, so a damaged file is a warning naming it, not damage that fails the run.
    package mutating func checkCulprits(_ contents: CulpritLog.Contents, manifest: RunManifest) {
        var found: [String] = []
        let written = manifest.culpritReadings ?? 0
        let counted = "run.json counts \(written) culprit reading(s)"
        if !contents.exists {
            if written > 0 { found.append("culprits.jsonl is missing, though \(counted): no culprit can be named") }
        } else if contents.lines == 0, written > 0 {
            found.append("culprits.jsonl is empty, though \(counted): no culprit can be named")
        } else {
            if contents.damagedLines > 0 {
                found.append("culprits.jsonl is damaged: \(contents.damagedLines) of its \(contents.lines) lines "
                    + "are not culprit readings and were left out of the culprits named")
            }
            if manifest.culpritReadings != nil, contents.readings < written {
                found.append("culprits.jsonl holds \(contents.readings) of the \(written) readings run.json counts: "
                    + "the file was cut short or damaged; the culprits named are judged on what is left")
            } else if manifest.culpritReadings != nil, contents.lines > written {
                found.append("culprits.jsonl has \(contents.lines) lines, though \(counted): the file was "
                    + "changed after the run")
            }
        }
        guard !found.isEmpty else { return }
        warnings = (warnings ?? []) + found
    }

    /// The harness's own columns count bytes, pages, descriptors and threads: a negative value
    /// was never measured. (A declared column may be any gauge, so only these are held to it.)
    private mutating func checkValues(_ samples: SampleDigest) {
        for metric in Metric.allCases {
            let negative = samples.negativeValues(metric.columnName)
            if negative > 0 {
                damaged.append("samples.csv's \(metric.columnName) column holds \(negative) negative value(s), which "
                    + "no reading gives: the file is damaged")
            }
        }
    }

    private mutating func checkMetrics(_ samples: SampleDigest, analysis: LeakAnalysis, expected: [Metric]) {
        let judged = Set(analysis.metrics.map(\.metric))
        for metric in expected where !judged.contains(metric) {
            let column = metric.columnName
            guard samples.hasNumericColumn(column) else {
                unjudged.append("\(metric.rawValue): samples.csv has no \(column) column")
                continue
            }
            unjudged.append(!samples.hasValue(column)
                ? "\(metric.rawValue): samples.csv's \(column) column has no value in any of its "
                    + "\(samples.rowCount) rows"
                : "\(metric.rawValue): samples.csv's \(column) column has no value in the rows the "
                    + "analysis judges")
        }
    }
}

/// The metrics a run must produce to be judged: what its profile asks the harness to read.
enum ExpectedMetrics {
    /// Deciding metrics only: a warn-only series missing is worth no verdict. Without a readable
    /// profile, the ones every live process has.
    ///
    /// The heap counters of `tenantd` and a stats URL, a Prometheus column, the JVM's and the
    /// glibc page's are all things the profile asked for: when they never came, the run could not
    /// check what its author wanted checked.
    ///
    /// A watched cgroup (`soak watch --cgroup`) is the one case where the cgroup's columns were
    /// asked for: its deciding column must have values too.
    static func of(_ profile: Profile?, watch: WatchRecord? = nil) -> [Metric] {
        var metrics: [Metric] = [.rss, .rssAnon, .fds, .threads]
        guard let profile else { return metrics }
        switch profile.target {
        case .tenantd(let tenantd):
            // A fleet's front has no runtime stats of its own: its heap is judged per process.
            if tenantd.fleet == nil { metrics += [.heapInUse, .liveInstances] }
        case .command(let command):
            if command.statsURL != nil { metrics.append(.heapInUse) }
        }
        // A cgroup's columns exist only when the target runs in a memory cgroup of its own, which
        // the profile cannot ask for; every other declared column is what the profile asked for.
        metrics += (DeclaredColumns.metrics(of: profile.target) + ProcessColumns.metrics(of: profile.target))
            .filter { $0.decidesVerdict && (watch?.cgroup != nil || !DeclaredColumns.cgroup.contains($0)) }
        return metrics
    }
}

/// The cycles and simulated time `samples.csv` covers.
struct SampleCoverage {
    var rows = 0
    /// The highest cycle index in any row; nil when no row has one.
    var lastCycle: Int?
    /// The latest simulated second in any row; nil when no row has one.
    var lastSimSeconds: Double?

    init(_ samples: SampleDigest?) {
        guard let samples else { return }
        rows = samples.rowCount
        // Only plausible cycle numbers are kept (finite, 0 ≤ c < 1e12): Int(Double) traps on the rest.
        lastCycle = samples.lastCycle.map { Int($0) }
        lastSimSeconds = samples.lastSimSeconds
    }
}
