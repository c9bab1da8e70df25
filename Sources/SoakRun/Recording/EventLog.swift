import FoundationEssentials

/// `events.jsonl` read back whole: its request events, and how much of the file could not be
/// read, so that a missing, emptied or overwritten log is told apart from a run that sent nothing.
package struct EventLog: Sendable {
    /// The request events, in file order.
    package var requests: [RequestEvent] = []
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

    /// Reads `path`; a missing file gives an empty log with `exists` false.
    package static func read(from path: String) -> EventLog {
        guard let data = FileManager.default.contents(atPath: path) else { return EventLog() }
        return parse(data)
    }

    /// Reads the lines of `data`.
    static func parse(_ data: Data) -> EventLog {
        var log = EventLog()
        log.exists = true
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            log.lines += 1
            guard let decoded = try? decoder.decode(RequestEvent.Line.self, from: Data(line)),
                  let type = decoded.type else {
                log.unreadableLines += 1
                log.lastLineUnreadable = true
                continue
            }
            log.lastLineUnreadable = false
            if let event = RequestEvent(decoded) {
                log.requests.append(event)
            } else {
                log.lifecycle.insert(type)
            }
        }
        return log
    }

    /// Unreadable lines other than a cut-off last one.
    package var damagedLines: Int { unreadableLines - (lastLineUnreadable ? 1 : 0) }
}
