import Glibc
import SoakAnalysis
import SoakProfiles

/// `target.command.jvm`: heap per generation, metaspace and collections from the perf-data file
/// of the JVM in the target's tree, found again whenever it changes.
///
/// With `gcAtTrough`, each trough sample is preceded by a full collection through the JDK's own
/// `jcmd <pid> GC.run`, so old-generation use is the live data and not whatever garbage the last
/// young collection happened to promote. jcmd starts a JVM of its own (about a second of wall time
/// here), so a cycle of a run with gcAtTrough should be a few seconds long.
///
/// With `classHistogram`, every `histogramEvery`-th trough also runs `jcmd <pid> GC.class_histogram`
/// (live objects per class, after a full collection) and records each class's bytes as a culprit,
/// at most `maxHistograms` times a run, so a long run with short cycles is not one JVM start after
/// another.
package final class JVMSource: MetricSource {
    /// Histograms taken in one run at most.
    package static let maxHistograms = 500
    package let columns = DeclaredColumns.jvm.map(\.rawValue) + DeclaredColumns.jvmRecorded
    private let gcAtTrough: Bool
    private let logPath: String
    private var jvm: (pid: pid_t, file: HotSpotPerfDataFile)?
    private var notice = SourceNotice(source: "jvm")
    private var gcNotice = SourceNotice(source: "jvm gcAtTrough")
    private var histogramNotice = SourceNotice(source: "jvm classHistogram")
    private let histogramEvery: Int?
    private let schedule: CulpritSchedule
    private var scheduledSamples = 0
    private var histograms = 0

    /// `logPath` receives jcmd's output; histograms are taken at the samples `schedule` names.
    package init(settings: Profile.JVMSettings, logPath: String, schedule: CulpritSchedule = CulpritSchedule(troughs: true)) {
        gcAtTrough = settings.gcAtTrough
        self.logPath = logPath
        histogramEvery = settings.classHistogram ? max(1, settings.histogramEvery) : nil
        self.schedule = schedule
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        if let current = jvm, !tree.contains(current.pid) { jvm = nil }
        if jvm == nil { find(in: tree) }
        guard let jvm else { return }
        if gcAtTrough, kind == .trough { collect(jvm.pid) }
        if let every = histogramEvery, schedule.reads(at: kind) {
            defer { scheduledSamples += 1 }
            if scheduledSamples % every == 0, histograms < Self.maxHistograms {
                histograms += 1
                switch ToolOutput.run("jcmd", [String(jvm.pid), "GC.class_histogram"]) {
                case .success(let text):
                    row.culprits.append(ClassHistogram(parsing: text).reading())
                    histogramNotice.set(nil)
                case .failure(let error):
                    histogramNotice.set("jcmd \(jvm.pid) GC.class_histogram: \(error); put the JDK's bin folder on the PATH")
                }
            }
        }
        switch jvm.file.read() {
        case .success(let reading):
            row.declared["jvm_old_used"] = reading.oldUsedBytes.map(Double.init)
            row.declared["jvm_metaspace_used"] = reading.metaspaceUsedBytes.map(Double.init)
            row.declared["jvm_heap_used"] = reading.heapUsedBytes.map(Double.init)
            row.declared["jvm_old_capacity"] = reading.oldCapacityBytes.map(Double.init)
            row.declared["jvm_young_gcs"] = reading.youngCollections.map(Double.init)
            row.declared["jvm_full_gcs"] = reading.fullCollections.map(Double.init)
            if let young = reading.youngCollectionSeconds, let full = reading.fullCollectionSeconds {
                row.declared["jvm_gc_seconds"] = young + full
            }
            notice.set(nil)
        case .failure(let error):
            notice.set("\(error)")
            self.jvm = nil
        }
    }

    package func takeNotice() -> String? { notice.take() ?? gcNotice.take() ?? histogramNotice.take() }

    private func find(in tree: [pid_t]) {
        switch JVMLocator.locate(in: tree) {
        case .found(let pid, let path):
            do {
                jvm = (pid, try HotSpotPerfDataFile(path: path))
            } catch {
                notice.set("\(path): \(error)")
            }
        case .noJVM(let reason), .noPerfData(_, let reason):
            notice.set(reason)
        }
    }

    /// `jcmd <pid> GC.run`, waited for up to 30 s; a missing jcmd or a failure is said once.
    private func collect(_ pid: pid_t) {
        let spec = LaunchSpec(executable: "jcmd", arguments: [String(pid), "GC.run"], stdoutPath: logPath,
                              stderrPath: logPath)
        let process: TargetProcess
        do {
            process = try TargetProcess.launch(spec)
        } catch {
            gcNotice.set("cannot run jcmd (\(error)): troughs are read without a full GC first; put the JDK's "
                + "bin folder on the PATH")
            return
        }
        switch process.waitForExit(timeout: .seconds(30)) {
        case .exited(status: 0)?: gcNotice.set(nil)
        case let exit?: gcNotice.set("jcmd \(pid) GC.run \(exit); see \(logPath)")
        case nil:
            _ = process.terminate(grace: .seconds(1))
            gcNotice.set("jcmd \(pid) GC.run took over 30 s and was stopped")
        }
    }
}
