import PosixSupport
import SoakRun
import SoakUnits

/// Progress of a watch with no set end: no percentage and no ETA, which would describe the year-long
/// ceiling of the plan rather than the watch. On a terminal one live line, otherwise a line every
/// ten cycles.
final class OpenEndedProgress: RunProgress {
    private let isTerminal = FileDescriptor.standardError.isTerminal
    private var lastDraw = -1.0

    func show(_ progress: DriverProgress) {
        var parts = [
            "watching", "\(DurationText.format(.seconds(progress.wallSeconds.rounded()), maxUnits: 2))",
            "cycle \(progress.cycle)",
        ]
        if let rss = progress.lastSample?[.rssBytes] { parts.append("rss \(ByteSize.format(rss))") }
        if progress.integrity.cycles > 0 {
            parts.append("integrity \(progress.integrity.validCycles)/\(progress.integrity.cycles)")
        }
        let line = parts.joined(separator: "  ")
        if isTerminal {
            guard progress.wallSeconds - lastDraw >= 0.1 else { return }
            lastDraw = progress.wallSeconds
            try? FileDescriptor.standardError.writeAll("\r\u{1B}[K" + line)
        } else if progress.cycle % 10 == 0 {
            try? FileDescriptor.standardError.writeAll(line + "\n")
        }
    }

    func finish() {
        if isTerminal { try? FileDescriptor.standardError.writeAll("\n") }
    }
}
