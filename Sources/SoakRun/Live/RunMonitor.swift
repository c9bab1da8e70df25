import FoundationEssentials
import Glibc
import MiniHTTP
import SoakAnalysis
import SoakProfiles
import Synchronization

/// Watches a run as it goes: sees every sample, request and cycle (as a `RunSink` beside the
/// recorder), keeps the latest values for `/metrics`, and rewrites `status.json` from a thread of
/// its own, so the driver's single thread (whose timing is the scenario's) never waits on a file
/// write or a fit.
///
/// `status.json` is rewritten every `writeEvery` of wall time or `writePercent` of progress,
/// whichever comes first (but never twice within `writeApart`), and only when something changed:
/// cheap enough for a run of any length. The interim verdict is refitted every `judgeEvery` or
/// `judgePercent` (never twice within `judgeApart`), and only when new points arrived (see `InterimJudge` for why it does not re-read the folder).
package final class RunMonitor: RunSink, Sendable {
    /// The run folder `status.json` goes to.
    package let folder: RunFolder
    private let analysis: AnalysisOptions
    private let culpritSettings: CulpritSettings
    private let troughs: Bool
    private let state = Mutex<LiveRunState?>(nil)
    private let metricsAddress = Mutex<String?>(nil)
    private let stopRequested = Atomic<Bool>(false)
    /// The writer thread, joined by `finish`.
    private let publisher = Mutex<pthread_t?>(nil)
    /// The writer thread's own clock: `finish` wakes it, so it ends at once rather than at its next look.
    private let clock: any RunClock

    let writeEvery: Duration = .seconds(2)
    let writePercent = 2.0
    let judgeEvery: Duration = .seconds(10)
    let judgePercent = 5.0
    /// The least wall time between two progress-driven writes, and between two fits: a stepped
    /// run can cross 5% of its cycles in a quarter of a second, and a fit every quarter second
    /// would take CPU from the replay (on a busy machine, wall time) for a file nobody reads
    /// that often.
    let writeApart: Duration = .milliseconds(500)
    let judgeApart: Duration = .seconds(2)
    /// How often the writer looks for news.
    let lookEvery: Duration = .milliseconds(100)

    /// A monitor for the run `options` describe, writing into `folder`; the writer waits on `clock`
    /// (its own: the run's clock has the run's thread as its sleeper).
    package init(folder: RunFolder, options: SoakRunOptions, clock: any RunClock = SystemRunClock()) {
        self.folder = folder
        self.clock = clock
        analysis = AnalysisOptions(profile: options.profile)
        culpritSettings = options.profile.culprits
        troughs = options.profile.sampling.troughs
    }

    /// Records where `/metrics` is served, for `status.json` and `soak status`.
    package func setMetricsAddress(_ address: String) {
        metricsAddress.withLock { $0 = address }
        state.withLock { $0?.status.metricsAddress = address }
    }

    /// The run has started (`run.json` is written): writes the first `status.json` and starts the
    /// writer thread, which also calls `watch` at each look (a tenth of a second), for checks
    /// that must not wait for the scenario's next step.
    package func start(_ manifest: RunManifest, watch: (@Sendable () -> Void)? = nil) {
        let address = metricsAddress.withLock { $0 }
        state.withLock { state in
            state = LiveRunState(manifest: manifest, runFolder: folder.path, troughs: troughs)
            state?.status.metricsAddress = address
        }
        publish(judging: false)
        let thread = try? PlainThread.start(name: "soak-status", joinable: true) { [self] in
            // See InterimSeries.fullOfTroughs: the arena reaches its final size before the run.
            _ = InterimJudge.judge(
                .fullOfTroughs(), options: analysis, manifest: manifest, integrity: Integrity())
            publishLoop(watch: watch)
        }
        publisher.withLock { $0 = thread }
    }

    /// The run has ended as `manifest` says: stops the writer and writes the final `status.json`.
    package func finish(_ manifest: RunManifest) {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        clock.wake()
        // Woken, the writer ends at once, or after the fit in hand (milliseconds: a few hundred points).
        if let thread = publisher.withLock({ thread in defer { thread = nil }; return thread }) {
            PlainThread.join(thread)
        }
        guard state.withLock({ state in
            state?.end(manifest)
            return state != nil
        }) else { return }
        publish(judging: true)
    }

    /// Where the run stands now; nil before it started.
    package func snapshot() -> RunStatus? {
        state.withLock { state in
            guard var status = state?.status else { return nil }
            status.progress.wallSeconds = Date().timeIntervalSince(status.startedAt)
            return status
        }
    }

    // MARK: - RunSink (called on the driver's thread)

    package func record(sample: SampleRow) { state.withLock { $0?.record(sample: sample) } }
    package func record(request: RequestRecord) { state.withLock { $0?.record(request: request) } }
    package func progress(_ progress: DriverProgress) { state.withLock { $0?.record(progress: progress) } }

    /// A sink that feeds `primary` first (the recorder: the durable record) and then this monitor.
    func observing(_ primary: any RunSink) -> any RunSink { ObservedSink(primary: primary, observer: self) }

    // MARK: - Writing

    private func publishLoop(watch: (@Sendable () -> Void)?) {
        var lastWrite = clock.now
        var lastWritePercent = 0.0
        var lastVersion = -1
        var lastJudge = clock.now
        var lastJudgePercent = 0.0
        var lastJudgedSeen = 0
        let stopping = { self.stopRequested.load(ordering: .sequentiallyConsistent) }
        while clock.sleep(until: clock.now + lookEvery, unless: stopping) {
            watch?()
            guard let (version, percent, seen) = state.withLock({ state in
                state.map { ($0.version, $0.status.progress.percent, $0.series.seen) }
            }), version != lastVersion else { continue }
            let now = clock.now
            guard now - lastWrite >= writeEvery
                    || (percent >= lastWritePercent + writePercent && now - lastWrite >= writeApart)
            else { continue }
            let judging = seen != lastJudgedSeen
                && (now - lastJudge >= judgeEvery
                    || (percent >= lastJudgePercent + judgePercent && now - lastJudge >= judgeApart))
            publish(judging: judging)
            if judging {
                lastJudge = now
                lastJudgePercent = percent
                lastJudgedSeen = seen
            }
            lastWrite = now
            lastWritePercent = percent
            lastVersion = version
        }
    }

    /// Refits the interim verdict when asked, then writes `status.json`.
    private func publish(judging: Bool) {
        if judging, let (series, culprits, manifest, integrity) = state.withLock({ state in
            state.map { ($0.series.detachedCopy(), $0.culprits.detachedCopy(), $0.manifest, $0.status.integrity) }
        }) {
            // The fit runs outside the lock, on a copy: the driver keeps recording meanwhile.
            var interim = InterimJudge.judge(series, options: analysis, manifest: manifest, integrity: integrity)
            let steadyStart = interim?.steadyStartSeconds ?? 0
            interim?.culprits = InterimJudge.culprits(
                culprits, steadyStartSeconds: steadyStart, options: analysis, settings: culpritSettings)
            state.withLock { $0?.status.interim = interim }
        }
        guard var status = snapshot() else { return }
        status.updatedAt = Date()
        // A failed write (a full disk) must not end the run: the next one may succeed.
        try? status.write(to: folder.status)
    }
}

/// Feeds a run's samples to the recorder, then to the monitor.
private final class ObservedSink: RunSink {
    let primary: any RunSink
    let observer: any RunSink

    init(primary: any RunSink, observer: any RunSink) {
        self.primary = primary
        self.observer = observer
    }

    func record(sample: SampleRow) {
        primary.record(sample: sample)
        observer.record(sample: sample)
    }

    func record(request: RequestRecord) {
        primary.record(request: request)
        observer.record(request: request)
    }

    func progress(_ progress: DriverProgress) {
        primary.progress(progress)
        observer.progress(progress)
    }
}
