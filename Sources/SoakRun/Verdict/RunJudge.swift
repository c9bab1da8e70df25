import FoundationEssentials
import Glibc
import PosixSupport
import SoakAnalysis
import SoakProfiles

/// Turns a run folder into a `RunSummary`: reads what the run recorded (whatever state it was left
/// in), analyses every metric and decides the run's verdict.
///
/// Works on complete, running, interrupted and killed runs alike: `run.json` says how the run
/// ended, `events.jsonl` gives integrity and latency even when the harness died before writing
/// them into `run.json`, and a cut-off last line of `samples.csv` is skipped.
package enum RunJudge {
    /// What a judgement produces: the summary plus the data it was made from, for report writers.
    package struct Judgement: Sendable {
        package var summary: RunSummary
        /// What the samples held, streamed (facts and charts, never every row); nil when the run
        /// never recorded any.
        package var samples: SampleDigest?
        /// Request latency as the report charts it (bounded, never every request).
        package var requests: RequestChart
        /// The profile the analysis used (the run's own copy, else defaults).
        package var profile: Profile?

        package init(summary: RunSummary, samples: SampleDigest?, requests: RequestChart, profile: Profile?) {
            self.summary = summary
            self.samples = samples
            self.requests = requests
            self.profile = profile
        }

        /// A judgement over a table already in memory, charting every column (report tests).
        package init(summary: RunSummary, table: SampleTable?, requests: RequestChart, profile: Profile?) {
            self.init(summary: summary, samples: table.map { SampleDigest(table: $0, charting: $0.columnNames) },
                      requests: requests, profile: profile)
        }

        /// As above, from request events held in memory.
        package init(summary: RunSummary, table: SampleTable?, events: [RequestEvent], profile: Profile?) {
            self.init(summary: summary, table: table, requests: RequestChart(events), profile: profile)
        }
    }

    /// Judges the run in `folder`. `thresholds` override the profile's per metric. `manifest` is
    /// the run's own record when the caller holds it (the harness that just ran it); otherwise
    /// `run.json` is read. `samples` are the rows that harness wrote, taken in as it wrote them:
    /// the judge then uses them instead of reading `samples.csv`, once a cheap check says the file
    /// still ends as written. Throws when the folder is not a run folder or its samples cannot be
    /// read at all.
    package static func judge(
        _ folder: RunFolder, manifest known: RunManifest? = nil, samples live: LiveSamples? = nil,
        thresholds overrides: [Metric: Threshold] = [:]
    ) throws(RunJudgeError) -> Judgement {
        let manifest: RunManifest
        if let known { manifest = known } else { manifest = try readManifest(folder) }
        let profile = try? ProfileLoader.load(file: folder.profileCopy)
        var options = profile.map { AnalysisOptions(profile: $0) } ?? AnalysisOptions(
            cycleIntervalSeconds: manifest.intervalSeconds, warmup: .fraction(0.1), thresholds: Threshold.defaults,
            alpha: 0.01)
        for (metric, threshold) in overrides { options.thresholds[metric] = threshold }

        // Streamed: only the judged columns' troughs, the charts and per-column facts are kept, so
        // a month of 1 Hz samples needs no more memory than a day.
        var (stream, fileProblem) = try samples(folder, options: options, live: live)
        let samples = stream?.digest
        let analysis: LeakAnalysis
        if var stream, stream.digest.rowCount > 0 {
            do {
                analysis = try stream.analyze()
            } catch {
                throw RunJudgeError("\(folder.samples): \(error)")
            }
        } else {
            analysis = LeakAnalysis(
                metrics: [], rows: 0, droppedPartialLastLine: samples?.droppedPartialLastLine ?? false,
                steadyStartSeconds: 0)
        }
        stream = nil
        let log = EventLog.read(from: folder.events)
        // run.json gets integrity only at the end; until then (or when the harness was killed)
        // the request log is the record.
        let fromLog = manifest.status == .running || manifest.integrity.cycles == 0
        var summary = RunSummary(
            manifest: manifest, runFolder: folder.path,
            integrity: fromLog ? log.digest.integrity : manifest.integrity,
            requests: log.digest.summary, analysis: analysis)
        var evidence = RunEvidence.examine(
            manifest: manifest, samples: samples, samplesFileExists: FileSystem.exists(folder.samples), log: log,
            profile: profile, analysis: analysis)
        // The file not being what the harness wrote is damage the file's own reading may not show
        // (an edited last line still parses).
        if let fileProblem { evidence.damaged.insert(fileProblem, at: 0) }
        summary.evidence = evidence
        summary.simulatedSeconds = evidence.schedule?.simulatedSeconds ?? SampleCoverage(samples).lastSimSeconds
        let culprits = CulpritJudge.read(folder)
        summary.evidence?.checkCulprits(culprits, manifest: manifest)
        summary.culprits = CulpritJudge.judge(
            culprits, steadyStartSeconds: analysis.steadyStartSeconds, intervalSeconds: manifest.intervalSeconds,
            alpha: options.alpha, settings: profile?.culprits ?? CulpritSettings())
        let harnessAlive = manifest.status == .running && HarnessLiveness.isRunning(pid: manifest.harnessPID)
        (summary.verdict, summary.verdictReason) = decide(manifest, summary, harnessAlive: harnessAlive)
        // Where, beside whether: the culprits only ever add words, never change the verdict.
        if let growing = CulpritJudge.reasonText(summary.culprits) { summary.verdictReason += "; " + growing }
        // A damaged record of culprits is named, but cannot change a verdict culprits never decide.
        for warning in summary.evidence?.warnings ?? [] { summary.verdictReason += "; warning: " + warning }
        return Judgement(summary: summary, samples: samples, requests: log.digest.chart, profile: profile)
    }

    private static func readManifest(_ folder: RunFolder) throws(RunJudgeError) -> RunManifest {
        do {
            return try RunManifest.read(from: folder.manifest)
        } catch {
            throw RunJudgeError(FileSystem.exists(folder.manifest)
                ? "\(folder.manifest): not a run manifest soak can read (\(error)); expected the run.json soak run writes"
                : "\(folder.path): not a run folder (no run.json); expected a folder made by soak run")
        }
    }

    /// The samples to judge: the harness's own record when it holds every row for these options
    /// and the file still ends as it was written; otherwise `samples.csv`, read (with the reason
    /// the record was not used when the file differs from it).
    private static func samples(
        _ folder: RunFolder, options: AnalysisOptions, live: LiveSamples?
    ) throws(RunJudgeError) -> (SampleStream?, String?) {
        var fileProblem: String?
        if let live, let accumulated = live.accumulated(for: options.metrics) {
            fileProblem = live.fileCheck(folder.samples)
            if fileProblem == nil {
                return (SampleStream(accumulated, options: options, rereading: .file(folder.samples)), nil)
            }
        }
        guard let status = try? FileSystem.status(of: folder.samples), status.st_size > 0 else {
            return (nil, fileProblem)
        }
        do {
            return (try SampleStream(.file(folder.samples), options: options,
                                     charting: options.metrics.map(\.columnName)), fileProblem)
        } catch {
            throw RunJudgeError("\(error)")
        }
    }

    /// The run's verdict and one sentence saying why. The order matters: a run that did not
    /// happen as designed is never judged on its numbers alone.
    static func decide(
        _ manifest: RunManifest, _ summary: RunSummary, harnessAlive: Bool
    ) -> (RunVerdict, String) {
        let judged = summary.analysis.metrics.filter(\.metric.decidesVerdict)
        let leaks = judged.filter { $0.verdict == .leak }
        let leakText = leaks.map { "\($0.metric.rawValue) leaks: \($0.reason)" }.joined(separator: "; ")
        switch manifest.status {
        case .notReady:
            if let failure = manifest.load?.startFailure {
                // The target was ready; what failed was the user's load program, so say that.
                return (.invalid, "the background load never started (\(failure)), so the target was stopped "
                    + "before anything was measured; fix scenario.load and run again")
            }
            return (.crashed, "the target never became ready: \(firstLine(manifest.statusReason))")
        case .crashed:
            return (.crashed, firstLine(manifest.statusReason))
        case .running where !harnessAlive:
            let base = "the harness (pid \(manifest.harnessPID)) is gone without finishing the run: it was killed; "
                + "\(summary.integrity.cycles) of \(manifest.plannedCycles) cycles were recorded"
            return leaks.isEmpty ? (.interrupted, base) : (.leak, base + "; " + leakText)
        case .interrupted:
            let base = firstLine(manifest.statusReason)
            return leaks.isEmpty ? (.interrupted, base) : (.leak, base + "; " + leakText)
        case .running, .completed:
            break
        }
        let evidence = summary.evidence ?? RunEvidence()
        if !evidence.damaged.isEmpty {
            return (.invalid, evidence.damaged.joined(separator: "; ")
                + "; a verdict needs the whole record, so this run cannot pass")
        }
        if let invalid = requestVerdict(manifest, summary) { return invalid }
        if let fleet = manifest.fleet, !fleet.problems.isEmpty {
            return (.invalid, "the fleet broke its integrity rules: " + fleet.problems.joined(separator: "; "))
        }
        if let problem = manifest.load?.problem {
            return (.invalid, problem + "; a soak under load needs the load to reach the target")
        }
        var (verdict, reason) = judgeNumbers(manifest, summary, judged: judged, leakText: leakText)
        if let slip = evidence.schedule, slip.isBeyondBound {
            // Every idle period still lasted its interval, so the per-cycle figures hold; what
            // changed is how long the run took, which the reader must know to trust its timing.
            reason += "; warning: \(slip.sentence); slopes are per cycle and per planned hour"
        }
        return (verdict, reason)
    }

    /// The verdict from the metrics alone, once the run is known to have happened as designed.
    private static func judgeNumbers(
        _ manifest: RunManifest, _ summary: RunSummary, judged: [MetricAnalysis], leakText: String
    ) -> (RunVerdict, String) {
        let evidence = summary.evidence ?? RunEvidence()
        let interim = manifest.status == .running ? "interim, run still going: " : ""
        if !leakText.isEmpty { return (.leak, interim + leakText) }
        let unsure = judged.filter { $0.verdict == .inconclusive }.map { "\($0.metric.rawValue): \($0.reason)" }
            + evidence.unjudged
        if judged.isEmpty, evidence.unjudged.isEmpty {
            return (.inconclusive, interim + "no metric could be judged: no samples were recorded")
        }
        if !unsure.isEmpty {
            return (.inconclusive, interim + unsure.joined(separator: "; ")
                + (evidence.unjudged.isEmpty ? "" : "; a metric with no data did not pass"))
        }
        var reason = interim + "no metric grows: "
            + judged.map(\.metric.rawValue).joined(separator: ", ") + " pass"
        for advisory in summary.analysis.leaks where !advisory.metric.decidesVerdict {
            let what = advisory.metric == .harnessRSS ? "the harness's own RSS" : advisory.metric.rawValue
            reason += "; warning: \(what) grows, which alone does not fail the run (\(advisory.reason))"
        }
        return (.pass, reason)
    }

    private static func firstLine(_ text: String?) -> String {
        text.flatMap { $0.split(separator: "\n").first.map(String.init) } ?? "no reason recorded"
    }
}

/// A run folder that cannot be judged, saying which file and why.
package struct RunJudgeError: Error, CustomStringConvertible, Equatable {
    package var description: String

    init(_ description: String) { self.description = description }
}
