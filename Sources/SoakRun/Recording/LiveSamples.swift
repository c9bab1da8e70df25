import Glibc
import PosixSupport
import SoakAnalysis
import SoakProfiles

/// The samples of a run as its recorder wrote them, taken into the judge's accumulator line by
/// line as each is written, so `soak run` judges its own record without reading `samples.csv`
/// back. `soak report` reads the folder into the same accumulator (`SampleStream`): one code path
/// over one record.
///
/// Bounded, since runs last days: the accumulator holds at most `heldLimit` points a series (then
/// counts), plus bounded charts. A series that outgrew it is rebuilt from the file by the later
/// passes `SampleStream.analyze` would make for `soak report` too.
///
/// What the harness wrote is not proof of what the folder holds: `fileCheck` compares the file's
/// size and last line with what was written, so a `samples.csv` cut short or edited at its end
/// after the run is still named, and the judge then reads the file instead.
package final class LiveSamples {
    /// Points held per series in the harness at most: 4096 troughs cover 8 days of 3-minute
    /// cycles; a longer series falls back to later passes over the file.
    package static let heldLimit = 4096

    /// What the run will record, to size what is held.
    package struct Plan: Sendable {
        /// The metrics the final judge analyses, in its order.
        package var metrics: [Metric]
        /// Troughs the run plans (one a cycle), 0 when it takes none.
        package var troughs: Int
        /// Periodic samples the run plans.
        package var periodic: Int

        package init(metrics: [Metric], troughs: Int, periodic: Int) {
            self.metrics = metrics
            self.troughs = troughs
            self.periodic = periodic
        }
    }

    /// The accumulator, nil once a line could not be taken (a write failed, or a line did not scan).
    private var accumulator: SampleAccumulator?
    /// Why the accumulator was dropped; nil while it holds every line written.
    package private(set) var lostBecause: String?
    /// The last line written, with its newline, for the end-of-file check.
    private var lastLine: String
    /// Bytes written to the file: the header line and every row.
    package private(set) var bytesWritten: Int

    /// Starts a record whose file begins with `header` (the line without its newline); the
    /// judged metrics' columns are charted, as `RunJudge` charts them.
    ///
    /// The harness's own RSS is a judged series, so what is held is sized from `plan` and
    /// allocated up front: each metric's troughs, up to `heldLimit`; its periodic samples only
    /// when the run takes no troughs (otherwise they are counted, and rebuilt from the file in the
    /// rare run whose troughs are too few to judge).
    package init(header: String, plan: Plan, heldLimit: Int = LiveSamples.heldLimit) {
        lastLine = header + "\n"
        bytesWritten = header.utf8.count + 1
        let troughs = min(heldLimit, plan.troughs + 1)
        let holding = SampleAccumulator.Holding(
            troughs: troughs, periodic: plan.troughs > 0 ? 0 : min(heldLimit, plan.periodic + 1), reserved: true)
        do {
            accumulator = try SampleAccumulator(
                header: header, source: "samples.csv", metrics: plan.metrics,
                charting: plan.metrics.map(\.columnName), holding: holding)
        } catch {
            lostBecause = "its header did not scan (\(error))"
        }
    }

    /// Takes a line (ending in a newline) the recorder wrote; `written` false when the write failed,
    /// after which the file, not this record, is what a judge must read.
    package func add(_ line: String, written: Bool) {
        guard let accumulator else { return }
        guard written else {
            lose("a write to samples.csv failed")
            return
        }
        do {
            try accumulator.add(lines: line)
            lastLine = line
            bytesWritten += line.utf8.count
        } catch {
            lose("a line did not scan (\(error))")
        }
    }

    private func lose(_ why: String) {
        accumulator = nil
        lostBecause = why
    }

    /// The accumulated samples for a judge whose analysis judges `metrics`, nil when this record
    /// cannot stand for the file (a line was lost, or the metrics differ).
    package func accumulated(for metrics: [Metric]) -> SampleAccumulator? {
        guard let accumulator, accumulator.metrics == metrics else { return nil }
        return accumulator
    }

    /// Whether `path` still holds what was written: its size, and its last line. Nil when it
    /// does; otherwise a sentence naming the difference, for the run's evidence.
    package func fileCheck(_ path: String) -> String? {
        guard let status = try? FileSystem.status(of: path) else {
            return "samples.csv is missing, though the harness wrote \(bytesWritten) bytes to it"
        }
        let size = Int(status.st_size)
        guard size == bytesWritten else {
            return "samples.csv holds \(size) bytes, though the harness wrote \(bytesWritten): the file was "
                + (size < bytesWritten ? "cut short" : "written to") + " after the harness wrote it"
        }
        guard let tail = Self.tail(of: path, size: size, count: lastLine.utf8.count), tail == Array(lastLine.utf8) else {
            return "samples.csv's last line is not the one the harness wrote: the file was changed after the run"
        }
        return nil
    }

    /// The `count` bytes of the file at `path` that end at `size`; nil when they cannot be read.
    private static func tail(of path: String, size: Int, count: Int) -> [UInt8]? {
        guard count <= size, let file = try? FileDescriptor.open(path, O_RDONLY) else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let read = try? file.closeAfter {
            try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: size - count) }
        }
        return read == count ? buffer : nil
    }
}

extension LiveSamples.Plan {
    /// The plan of a run of `profile` replaying `scenario` (the profile's, or one a flag changed).
    package init(profile: Profile, scenario: Profile.Scenario) {
        let every = profile.sampling.every.secondsValue
        let periodic = every > 0 ? scenario.duration.secondsValue / every : 0
        self.init(
            metrics: profile.metrics, troughs: profile.sampling.troughs ? scenario.cycles : 0,
            periodic: periodic.isFinite ? Int(min(periodic, 1e9)) : 0)
    }
}
