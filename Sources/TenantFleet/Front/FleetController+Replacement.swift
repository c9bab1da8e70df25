import TenantRuntime

/// Replacing nodes that died: noticing the death, the backoff a crash loop earns, and the
/// `Retry-After` their tenants are told meanwhile.
extension FleetController {
    /// Wall milliseconds until node `id`'s replacement is due, when it is down.
    package func restartDueMillis(of id: NodeID) -> Double? {
        let now = wallClock.now
        return state.withLock { state in
            state.toReplace[id].map { max(0, ($0.due - now).secondsValue * 1000) }
        }
    }

    /// Notices nodes that ended: a draining one is done; any other died, and its replacement is
    /// scheduled at once or after the backoff its crash streak earns.
    func reapEndedNodes() {
        let now = wallClock.now
        for (id, node) in state.withLock({ $0.running }) where node.hasEnded() && table.isServingOrDraining(id) {
            let drained = table.nodes.first { $0.id == id }?.phase == .draining
            if drained {
                table.remove(id)
                state.withLock { state in
                    state.running[id] = nil
                    state.started[id] = nil
                    state.backoff.forget(id)
                }
                log("\(id) (pid \(node.pid)) ended while draining")
                continue
            }
            let delay = state.withLock { state -> Duration in
                state.running[id] = nil
                let life = state.started.removeValue(forKey: id)
                let delay = state.backoff.delay(afterDeathOf: id, lived: now - (life?.at ?? now),
                                                wasReplacement: life?.isReplacement ?? false)
                state.toReplace[id] = (now, now + delay)
                return delay
            }
            table.markDown(id, retryAfterSeconds: Self.retryAfter(delay))
            let streak = backoff.streak(of: id)
            log("\(id) (pid \(node.pid)) ended; "
                + (delay == .zero ? "replacing it" : "crash loop (\(streak) young deaths): replacing it in \(delay)"))
        }
    }

    /// Starts the replacements that are due; brings the others' `Retry-After` up to date.
    func replaceDueNodes() {
        let now = wallClock.now
        for (id, pending) in state.withLock({ $0.toReplace }).sorted(by: { $0.key < $1.key }) {
            guard now >= pending.due else {
                table.markDown(id, retryAfterSeconds: Self.retryAfter(pending.due - now))
                continue
            }
            do {
                try startNode(id, isReplacement: true)
            } catch {
                let delay = state.withLock { state -> Duration in
                    let delay = state.backoff.delay(afterFailedStartOf: id)
                    state.toReplace[id] = (pending.noticed, now + delay)
                    return delay
                }
                table.markDown(id, retryAfterSeconds: Self.retryAfter(delay))
                log("cannot start a replacement for \(id): \(error); next try in \(delay)")
                continue
            }
            let millis = (wallClock.now - pending.noticed).secondsValue * 1000
            state.withLock { _ = $0.toReplace.removeValue(forKey: id) }
            table.count {
                $0.replacements += 1
                $0.lastReplacementMillis = millis
                $0.record(decision: "replaced \(id) in \(Int(millis)) ms")
            }
        }
    }

    /// Whole seconds to tell a client, rounded up: never 0, which would invite a retry storm.
    static func retryAfter(_ delay: Duration) -> Int {
        max(1, Int(delay.secondsValue.rounded(.up)))
    }
}
