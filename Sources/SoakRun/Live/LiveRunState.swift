/// What a running soak knows about itself, updated from the driver's thread as samples, requests
/// and cycles pass, and read by the status writer and the metrics endpoint. Kept behind the
/// `RunMonitor`'s mutex; every update is a few stores, so the driver never waits on a reader.
struct LiveRunState: Sendable {
    /// The document `status.json` and `/metrics` are made from.
    var status: RunStatus
    /// The manifest as the run started, for the interim decision.
    var manifest: RunManifest
    /// The leak signal so far, for the interim verdict.
    var series: InterimSeries
    /// The culprits so far, for the interim verdict.
    var culprits = InterimCulprits()
    /// Bumped on every update, so the writer skips rewriting an unchanged status.
    private(set) var version = 0
    /// Wall seconds of the replay (the driver's clock) at the latest sample or cycle, for the ETA.
    private var driverWallSeconds = 0.0

    init(manifest: RunManifest, runFolder: String, troughs: Bool) {
        self.manifest = manifest
        status = RunStatus(
            profile: manifest.profile, runFolder: runFolder, harnessPID: manifest.harnessPID,
            accelerate: manifest.accelerate, startedAt: manifest.startedAt)
        status.progress.plannedCycles = manifest.plannedCycles
        status.progress.totalSimSeconds = manifest.durationSeconds
        series = InterimSeries(source: troughs ? .troughs : .periodic)
    }

    mutating func record(sample row: SampleRow) {
        if status.phase == .starting { status.phase = .running }
        status.latest = RunStatus.Latest(row)
        if let sim = row[.simSeconds] { advance(sim: sim, wall: row[.wallSeconds]) }
        series.append(row)
        culprits.append(row)
        version += 1
    }

    mutating func record(request: RequestRecord) {
        if !request.succeeded {
            status.requests.failed += 1
        } else if request.violation != nil {
            status.requests.integrityViolations += 1
        } else {
            status.requests.ok += 1
        }
        version += 1
    }

    mutating func record(progress: DriverProgress) {
        if status.phase == .starting { status.phase = .running }
        status.progress.cycle = progress.cycle
        status.progress.plannedCycles = progress.cycles
        status.progress.totalSimSeconds = progress.totalSimSeconds
        status.integrity = progress.integrity
        advance(sim: progress.simSeconds, wall: progress.wallSeconds)
        version += 1
    }

    /// Simulated progress only moves forward: a sample's time and a cycle's time interleave.
    private mutating func advance(sim: Double, wall: Double?) {
        let total = status.progress.totalSimSeconds
        status.progress.simSeconds = min(max(status.progress.simSeconds, sim), total > 0 ? total : sim)
        if let wall { driverWallSeconds = max(driverWallSeconds, wall) }
        status.progress.percent = total > 0 ? min(100, 100 * status.progress.simSeconds / total) : 0
        let done = status.progress.simSeconds
        status.progress.etaSeconds = done > 0 && driverWallSeconds > 0
            ? max(0, (total - done) * driverWallSeconds / done) : nil
    }

    /// The run has ended: how, and the final counts from `run.json`.
    mutating func end(_ manifest: RunManifest) {
        status.phase = .ended
        status.endStatus = manifest.status
        if manifest.integrity.cycles > 0 { status.integrity = manifest.integrity }
        status.progress.cycle = max(status.progress.cycle, manifest.cyclesCompleted)
        status.progress.etaSeconds = nil
        version += 1
    }
}
