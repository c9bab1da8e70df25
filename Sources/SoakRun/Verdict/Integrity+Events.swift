extension Integrity {
    /// Integrity from the request log: a cycle is valid when every request in it found what the
    /// scenario expects.
    init(events: [RequestEvent]) {
        self.init()
        for event in events where !event.ok {
            firstViolation = event.violation.map { "cycle \(event.cycle), \(event.method) \(event.path): \($0)" }
                ?? "cycle \(event.cycle): \(event.path) found tenant \(event.tenantWas ?? "?"), "
                + "artifact \(event.artifactWas ?? "?")"
            firstViolationKind = event.succeeded ? .state : .request
            break
        }
        // The harness writes the log in cycle order, so each cycle is one run of lines and no
        // table of a million cycles is needed; an edited log out of order takes the table.
        let ordered = zip(events, events.dropFirst()).allSatisfy { $0.cycle <= $1.cycle }
        guard ordered else {
            var valid: [Int: Bool] = [:]
            for event in events { valid[event.cycle] = (valid[event.cycle] ?? true) && event.ok }
            cycles = valid.count
            validCycles = valid.values.filter { $0 }.count
            return
        }
        var index = events.startIndex
        while index < events.endIndex {
            let cycle = events[index].cycle
            var ok = true
            while index < events.endIndex, events[index].cycle == cycle {
                ok = ok && events[index].ok
                index += 1
            }
            cycles += 1
            if ok { validCycles += 1 }
        }
    }
}
