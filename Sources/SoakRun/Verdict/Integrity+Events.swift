extension Integrity {
    /// Integrity from the request log: a cycle is valid when every request in it found what the
    /// scenario expects. The same rule `soak report` applies as it streams events.jsonl
    /// (`RequestDigest`), so both give one answer in any line order.
    init(events: [RequestEvent]) { self = RequestDigest(events).integrity }
}
