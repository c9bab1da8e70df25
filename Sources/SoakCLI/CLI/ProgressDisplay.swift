import PosixSupport
import SoakRun
import SoakUnits

/// Shows a run's progress on stderr: one live line on a terminal, otherwise a plain log line
/// every 5% so CI logs stay readable.
package final class ProgressDisplay: RunProgress {
    private let isTerminal: Bool
    private var lastPercentLogged = -5
    private var lastDraw = 0.0

    package init(isTerminal: Bool = FileDescriptor.standardError.isTerminal) {
        self.isTerminal = isTerminal
    }

    /// Updates the display for `progress`.
    package func show(_ progress: DriverProgress) {
        let percent = progress.cycles > 0 ? 100 * progress.cycle / progress.cycles : 0
        if isTerminal {
            // Redrawing more than ~10 times a second costs CPU and shows nothing more.
            guard progress.wallSeconds - lastDraw >= 0.1 || progress.cycle == progress.cycles else { return }
            lastDraw = progress.wallSeconds
            write("\r\u{1B}[K" + ProgressDisplay.line(progress, percent: percent))
        } else if percent >= lastPercentLogged + 5 {
            lastPercentLogged = percent - percent % 5
            write(ProgressDisplay.line(progress, percent: percent) + "\n")
        }
    }

    /// Ends the live line.
    package func finish() {
        if isTerminal { write("\n") }
    }

    static func line(_ progress: DriverProgress, percent: Int) -> String {
        var parts = [
            "\(percent)%",
            "sim \(DurationText.format(.seconds(progress.simSeconds), maxUnits: 2))/\(DurationText.format(.seconds(progress.totalSimSeconds), maxUnits: 2))",
            "cycle \(progress.cycle)/\(progress.cycles)",
        ]
        if let rss = progress.lastSample?[.rssBytes] { parts.append("rss \(ByteSize.format(rss))") }
        if let heap = progress.lastSample?[.heapInUseBytes] { parts.append("heap \(ByteSize.format(heap))") }
        parts.append("integrity \(progress.integrity.validCycles)/\(progress.integrity.cycles)")
        if let factor = progress.scheduleFactor, factor > ScheduleSlip.bound {
            // Said while it happens, not only in the verdict: the run will be invalid.
            parts.append("\(DecimalText.format(factor, decimals: 1))x behind schedule")
        }
        parts.append("eta \(DurationText.format(.seconds(progress.etaSeconds.rounded()), maxUnits: 2))")
        return parts.joined(separator: "  ")
    }

    private func write(_ text: String) {
        try? FileDescriptor.standardError.writeAll(text)
    }
}
