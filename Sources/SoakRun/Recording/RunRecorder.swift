import FoundationEssentials
import PosixSupport
import SoakAnalysis

/// Streams a run into its folder: each sample to `samples.csv` and each request or lifecycle
/// event to `events.jsonl`, one `write(2)` per line, as they happen.
package final class RunRecorder: RunSink {
    package let folder: RunFolder
    private let samples: LineFile
    private let events: LineFile
    /// Opened at the first culprit reading: most runs have none.
    private var culprits: LineFile?
    /// Lines written whole to `culprits.jsonl`, for `run.json` (the judge checks the file by it).
    package private(set) var culpritLines = 0
    private let onProgress: (DriverProgress) -> Void
    /// The first write error (`samples.csv: File too large`): the run stops at the next check,
    /// since a run that cannot record what it measures cannot be judged.
    package private(set) var writeError: String?

    /// Columns declared by metric sources, written after the harness's own.
    package let declaredColumns: [String]
    /// Every row written, taken into the judge's accumulator as it is written; nil when the
    /// recorder was not asked for it, or when `samples.csv` held rows before this recorder began
    /// (the accumulator would lack them).
    package let live: LiveSamples?

    /// Opens the run's files. `judging` says what the final judge analyses and what the run plans,
    /// to keep the judged series in memory as they are written (`live`); nil keeps none.
    package init(
        folder: RunFolder, declaredColumns: [String] = [], judging plan: LiveSamples.Plan? = nil,
        onProgress: @escaping (DriverProgress) -> Void = { _ in }
    ) throws {
        self.folder = folder
        self.declaredColumns = declaredColumns
        self.onProgress = onProgress
        let isNew = !FileManager.default.fileExists(atPath: folder.samples)
        samples = try LineFile(path: folder.samples)
        events = try LineFile(path: folder.events)
        let header = ([SampleColumn.header] + declaredColumns).joined(separator: ",")
        live = isNew ? plan.map { LiveSamples(header: header, plan: $0) } : nil
        if isNew {
            let error = samples.append(header + "\n")
            if error != nil { live?.add("", written: false) }
            note(error, in: samples)
        }
    }

    package func record(sample: SampleRow) {
        let line = sample.csvLine(declaredColumns: declaredColumns)
        let error = samples.append(line)
        live?.add(line, written: error == nil)
        note(error, in: samples)
        guard !sample.culprits.isEmpty else { return }
        if culprits == nil {
            do {
                culprits = try LineFile(path: folder.culprits)
            } catch {
                if writeError == nil { writeError = "culprits.jsonl: \(error.message)" }
                return
            }
        }
        guard let culprits else { return }
        for reading in sample.culprits {
            let line = reading.jsonLine(kind: sample.kind, cycle: sample[.cycle], simSeconds: sample[.simSeconds])
            let error = culprits.append(line)
            if error == nil { culpritLines += 1 }
            note(error, in: culprits)
        }
    }

    package func record(request: RequestRecord) {
        var line = JSONLine()
        line.add("type", "request")
        line.add("cycle", request.cycle)
        line.add("sim_seconds", request.simSeconds)
        line.add("wall_seconds", request.wallSeconds)
        line.add("method", request.method)
        line.add("path", request.path)
        line.add("status", request.outcome.status)
        line.add("latency_ms", request.outcome.latencyMilliseconds)
        line.add("tenant_was", request.outcome.tenantWas)
        line.add("artifact_was", request.outcome.artifactWas)
        line.add("failure", request.outcome.failure)
        line.add("succeeded", request.succeeded)
        line.add("ok", request.violation == nil)
        line.add("violation", request.violation)
        note(events.append(line.line), in: events)
    }

    /// Records a lifecycle event (`ready`, `target-exit`, `interrupted`, ...) with a message.
    package func record(event type: String, message: String, wallSeconds: Double? = nil) {
        var line = JSONLine()
        line.add("type", type)
        line.add("wall_seconds", wallSeconds)
        line.add("message", message)
        line.add("time", Date().formatted(.iso8601))
        note(events.append(line.line), in: events)
    }

    package func progress(_ progress: DriverProgress) {
        onProgress(progress)
    }

    /// A check, safe from any thread, that says which file of the run folder was deleted while
    /// the run went on (`rm -rf` of the folder unlinks both); nil while both are in place.
    package var deletionProbe: @Sendable () -> String? {
        { [samples, events] in
            [samples, events].first(where: \.isUnlinked).map { file in
                file.path.split(separator: "/").last.map(String.init) ?? file.path
            }
        }
    }

    /// Flushes both files to disk.
    package func sync() {
        samples.sync()
        events.sync()
        culprits?.sync()
    }

    private func note(_ error: SystemError?, in file: LineFile) {
        guard let error, writeError == nil else { return }
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        writeError = "\(name): \(error.message)"
    }
}
