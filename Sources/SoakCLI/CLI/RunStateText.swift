import FoundationEssentials
import Glibc
import PosixSupport
import SoakAnalysis
import SoakRun
import SoakUnits

/// The text `soak status` and `soak stop` print for each state of a run folder.
enum RunStateText {
    /// Progress, latest values and the interim verdict of a running run.
    static func running(_ folder: RunFolder, _ manifest: RunManifest, _ status: RunStatus?, pid: Int32) -> String {
        let up = DurationText.format(.seconds(Date().timeIntervalSince(manifest.startedAt).rounded()), maxUnits: 2)
        var lines = [
            "state: running",
            "run folder: \(folder.path)",
            "harness: pid \(pid), up \(up); profile \(manifest.profile) "
                + (manifest.isStepped ? "on the stepped clock" : "at \(SampleRow.format(manifest.accelerate))x"),
        ]
        guard let status, status.phase != .starting else {
            lines.append("progress: starting (seeding the registry, starting the target, waiting for it to be ready)")
            return lines.joined(separator: "\n")
        }
        let progress = status.progress
        var line = "progress: \(DecimalText.format(progress.percent, decimals: 1))%  "
            + "cycle \(progress.cycle)/\(progress.plannedCycles)  "
            + "sim \(duration(progress.simSeconds))/\(duration(progress.totalSimSeconds))"
        if let eta = progress.etaSeconds { line += "  eta \(duration(eta))" }
        lines.append(line)
        if let latest = status.latest { lines.append("latest: " + latestText(latest)) }
        lines.append(integrityText(status.integrity))
        let requests = status.requests
        lines.append("requests: \(requests.total) (\(requests.ok) ok, \(requests.integrityViolations) found the "
            + "wrong state, \(requests.failed) failed)")
        if let interim = status.interim {
            lines.append("interim verdict: \(interim.verdict.rawValue.uppercased()): \(interim.reason)")
            for metric in interim.metrics where metric.verdict != .pass {
                lines.append("  \(metric.metric.rawValue): \(metric.verdict.rawValue): \(metric.reason)")
            }
            if let culprits = interim.culprits {
                let growing = culprits.filter(\.growing).map { culprit in
                    "\(culprit.source.rawValue) \(culprit.name) "
                        + (culprit.slopePerCycle.map { AnalysisText.signedAmount($0, culprit.unit) } ?? "?") + "/cycle"
                }
                lines.append("culprits so far: " + (growing.isEmpty
                    ? "none of the \(culprits.count) followed grows"
                    : "growing: " + growing.joined(separator: ", ")))
            }
        } else {
            lines.append("interim verdict: none yet (too few troughs so far)")
        }
        if let address = status.metricsAddress { lines.append("metrics: http://\(address)/metrics") }
        let age = max(0, Date().timeIntervalSince(status.updatedAt))
        lines.append("status.json updated \(duration(age)) ago")
        return lines.joined(separator: "\n")
    }

    /// Says plainly that the harness was killed and what the folder still holds.
    static func killed(_ folder: RunFolder, _ manifest: RunManifest, _ status: RunStatus?, pid: Int32) -> String {
        var recorded: String
        // samples.csv's last line is the latest record; status.json may be a few seconds older.
        if let last = lastSample(folder) ?? status.flatMap({ $0.phase == .starting ? nil : $0.progress }).map({
            (cycle: Double($0.cycle), simSeconds: $0.simSeconds)
        }) {
            recorded = "cycle \(DecimalText.format(last.cycle, decimals: 0)) of \(manifest.plannedCycles) (simulated "
                + "\(duration(last.simSeconds)) of \(duration(manifest.durationSeconds)))"
        } else {
            recorded = "the start of the run"
        }
        let written = (try? FileSystem.status(of: folder.samples)).map {
            Date(timeIntervalSince1970: Double($0.st_mtim.tv_sec) + Double($0.st_mtim.tv_nsec) / 1e9)
        }
        if let written { recorded += ", samples.csv last written \(written.formatted(.iso8601))" }
        return [
            "state: killed",
            "run folder: \(folder.path)",
            "the harness (pid \(pid)) was killed; the folder holds everything recorded up to \(recorded); "
                + "run soak report \(folder.path) to analyse it",
        ].joined(separator: "\n")
    }

    /// The final verdict of an ended run from its summary.
    static func ended(_ folder: RunFolder, _ manifest: RunManifest, _ summary: RunSummary?) -> String {
        var lines = ["state: \(manifest.status.rawValue)", "run folder: \(folder.path)"]
        guard let summary else {
            lines.append("the run ended (\(manifest.status.rawValue)) but was never judged (no summary.json); "
                + "run soak report \(folder.path) to analyse it")
            return lines.joined(separator: "\n")
        }
        if summary.integrity.cycles > 0 { lines.append(integrityText(summary.integrity)) }
        if !summary.analysis.metrics.isEmpty { lines.append(VerdictTable.render(summary)) }
        lines.append("verdict: \(summary.verdict.rawValue.uppercased()): \(summary.verdictReason)"
            + (summary.clock.map { "; clock: " + $0 } ?? ""))
        return lines.joined(separator: "\n")
    }

    /// The cycle and simulated time of the last complete line of `samples.csv`, reading only the
    /// header and the file's tail (a long run's file is large).
    static func lastSample(_ folder: RunFolder) -> (cycle: Double, simSeconds: Double)? {
        guard let (head, tail) = headAndTail(of: folder.samples, bytes: 8192),
              let header = String(decoding: head, as: UTF8.self).split(separator: "\n").first else { return nil }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false)
        guard let cycleIndex = columns.firstIndex(of: "cycle"),
              let simIndex = columns.firstIndex(of: Substring(SampleColumn.simSeconds.rawValue)) else { return nil }
        // Only lines that end in a newline are complete; a killed harness may leave half of one.
        let lines = String(decoding: tail, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines.dropLast().reversed() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns.count, let cycle = Double(fields[cycleIndex]),
                  let sim = Double(fields[simIndex]) else { continue }
            return (cycle, sim)
        }
        return nil
    }

    private static func latestText(_ latest: RunStatus.Latest) -> String {
        var parts: [String] = []
        func bytes(_ name: String, _ value: Double?) {
            if let value { parts.append("\(name) \(ByteSize.format(value))") }
        }
        func count(_ name: String, _ value: Double?) {
            if let value { parts.append("\(name) \(SampleRow.format(value))") }
        }
        bytes("rss", latest.rssBytes)
        bytes("pss", latest.pssBytes)
        bytes("heap", latest.heapInUseBytes)
        count("live", latest.liveInstances)
        count("fds", latest.fds)
        count("threads", latest.threads)
        bytes("harness rss", latest.harnessRSSBytes)
        return parts.joined(separator: "  ")
    }

    private static func integrityText(_ integrity: Integrity) -> String {
        var text = "integrity: \(integrity.validCycles)/\(integrity.cycles) cycles as designed"
        if let first = integrity.firstViolation { text += " (first violation: \(first))" }
        return text
    }

    private static func duration(_ seconds: Double) -> String {
        DurationText.format(.seconds(max(0, seconds).rounded()), maxUnits: 2)
    }

    /// The first and the last `bytes` of a file (overlapping when it is short), read with pread so
    /// a large file is never read whole.
    private static func headAndTail(of path: String, bytes: Int) -> (head: [UInt8], tail: [UInt8])? {
        guard let descriptor = try? FileDescriptor.open(path, O_RDONLY) else { return nil }
        defer { try? descriptor.close() }
        guard let status = try? descriptor.status() else { return nil }
        func read(at offset: Int, count: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: count)
            guard let got = try? buffer.withUnsafeMutableBytes({ try descriptor.read(into: $0, at: offset) }) else {
                return nil
            }
            return Array(buffer[..<got])
        }
        let size = Int(status.st_size)
        guard let head = read(at: 0, count: min(4096, size)),
              let tail = read(at: max(0, size - bytes), count: min(bytes, size)) else { return nil }
        return (head, tail)
    }
}
