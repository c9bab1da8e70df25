/// The decision service's wire format: one entry or decision per line, plain text, so a person
/// can read a replica's pull with curl and the front needs no JSON parser.
///
///     report FRONT SECONDS BUSY LOADED LIVE|-     a front's cumulative load
///     ack N                                       the executor applied decisions up to N
///     decision TERM NUMBER INDEX grow|shrink REASON
enum DecisionWire {
    static func line(_ entry: DecisionCore.Entry) -> String {
        switch entry {
        case .acknowledged(let number): return "ack \(number)"
        case .report(let report):
            return "report \(report.front) \(report.simulatedSeconds) \(report.busyNodeSeconds) "
                + "\(report.loadedTenantSeconds) \(report.liveNodes.map(String.init) ?? "-")"
        }
    }

    static func entry(_ line: Substring) -> DecisionCore.Entry? {
        let fields = line.split(separator: " ")
        if fields.count == 2, fields[0] == "ack", let number = Int(fields[1]) { return .acknowledged(number) }
        guard fields.count == 6, fields[0] == "report", let front = Int(fields[1]), let seconds = Double(fields[2]),
            let busy = Double(fields[3]), let loaded = Double(fields[4])
        else { return nil }
        let live = fields[5] == "-" ? nil : Int(fields[5])
        if fields[5] != "-", live == nil { return nil }
        return .report(LoadReport(front: front, simulatedSeconds: seconds, busyNodeSeconds: busy,
                                  loadedTenantSeconds: loaded, liveNodes: live))
    }

    static func line(_ decision: Decision) -> String {
        "decision \(decision.term) \(decision.number) \(decision.index) \(decision.grow ? "grow" : "shrink") "
            + decision.reason.filter { $0 != "\n" }
    }

    static func decision(_ line: Substring) -> Decision? {
        let fields = line.split(separator: " ", maxSplits: 5)
        guard fields.count >= 5, fields[0] == "decision", let term = Int(fields[1]), let number = Int(fields[2]),
            let index = Int(fields[3]), fields[4] == "grow" || fields[4] == "shrink"
        else { return nil }
        return Decision(term: term, number: number, index: index, grow: fields[4] == "grow",
                        reason: fields.count == 6 ? String(fields[5]) : "")
    }
}
