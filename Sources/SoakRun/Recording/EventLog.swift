import FoundationEssentials
import PosixSupport
import SoakAnalysis

/// `events.jsonl` read back: what its request events add up to (never the events themselves, by
/// default), and how much of the file could not be read, so that a missing, emptied or
/// overwritten log is told apart from a run that sent nothing.
package struct EventLog: Sendable {
    /// The request events, summarised as they were read.
    package var digest = RequestDigest()
    /// The request events themselves, in file order, when the reader asked to keep them (tests).
    package var requests: [RequestEvent] = []
    private var keepsRequests = false
    /// False when the file does not exist.
    package var exists = false
    /// Non-empty lines in the file.
    package var lines = 0
    /// Lines that are not a JSON object with a `type` (a damaged, binary or foreign file).
    package var unreadableLines = 0
    /// Whether the last line is one of them: a harness killed mid-write leaves at most that one.
    package var lastLineUnreadable = false
    /// The lifecycle event types present (`ready`, `completed`, `interrupted`, ...).
    package var lifecycle: Set<String> = []

    /// Reads `path` a chunk of whole lines at a time, never the whole file (a million-request
    /// run's log is 170 MB); a missing file gives an empty log with `exists` false.
    package static func read(from path: String, keepingRequests: Bool = false) -> EventLog {
        guard FileSystem.exists(path) else { return EventLog() }
        var log = EventLog()
        log.exists = true
        log.keepsRequests = keepingRequests
        // The harness writes a regular file. Anything else in its place is damage, and a FIFO
        // nobody writes would block the open for ever.
        guard !FileSystem.isNotARegularFile(path) else {
            log.lines += 1
            log.unreadableLines += 1
            return log
        }
        let decoder = JSONDecoder()
        do {
            let end = try SampleLineReader.read(
                .file(path), header: { log.add(line: $0, decoder: decoder) },
                lines: { chunk in
                    for line in chunk.split(separator: UInt8(ascii: "\n")) {
                        log.add(line: UnsafeBufferPointer(rebasing: line), decoder: decoder)
                    }
                })
            if end.droppedPartialLine {
                // A harness killed mid-write leaves at most this one line.
                log.lines += 1
                log.unreadableLines += 1
                log.lastLineUnreadable = true
            }
        } catch {
            // Unreadable as lines at all (a directory, a 16 MB line of binary): one damaged line.
            log.lines += 1
            log.unreadableLines += 1
        }
        return log
    }

    /// Reads the lines of `data`, keeping the request events.
    static func parse(_ data: Data) -> EventLog {
        var log = EventLog()
        log.exists = true
        log.keepsRequests = true
        let decoder = JSONDecoder()
        data.withUnsafeBytes { raw in
            for line in raw.bindMemory(to: UInt8.self).split(separator: UInt8(ascii: "\n")) {
                log.add(line: UnsafeBufferPointer(rebasing: line), decoder: decoder)
            }
        }
        return log
    }

    private mutating func add(line: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder) {
        guard !line.isEmpty else { return }
        lines += 1
        guard let decoded = try? decoder.decode(RequestEvent.Line.self, from: Data(buffer: line)),
              let type = decoded.type else {
            unreadableLines += 1
            lastLineUnreadable = true
            return
        }
        lastLineUnreadable = false
        if let event = RequestEvent(decoded) {
            digest.add(event)
            if keepsRequests { requests.append(event) }
        } else {
            lifecycle.insert(type)
        }
    }

    /// Unreadable lines other than a cut-off last one.
    package var damagedLines: Int { unreadableLines - (lastLineUnreadable ? 1 : 0) }
}
