/// What one advance of a stepped clock did before it settled.
public struct AdvanceReport: Sendable, Equatable {
    /// The clock's time once settled: the time asked for.
    public var now: SimulatedTime
    /// Distinct deadlines fired on the way, in order.
    public var deadlinesFired = 0
    /// Artifacts turned back into ghosts and tenants unloaded on the way.
    public var swept = SweepReport()
    /// The earliest deadline still ahead once settled (as ``TenantHost/nextIdleDeadline()``
    /// says); nil when nothing will expire without a request first.
    public var nextDeadline: SimulatedTime?
}

/// Why a clock advance was refused.
public enum ClockAdvanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host runs on a scaled clock, which only wall time moves.
    case notStepped
    /// The time asked for is before the clock's time; simulated time runs forward only.
    case backwards(now: SimulatedTime, requested: SimulatedTime)

    public var description: String {
        switch self {
        case .notStepped:
            return "the clock is scaled, moved by wall time; start tenantd with --clock stepped to advance it"
        case .backwards(let now, let requested):
            return "cannot advance to \(requested.sinceStart.nanosecondCount) ns: the clock already reads "
                + "\(now.sinceStart.nanosecondCount) ns and runs forward only"
        }
    }
}

extension TenantHost {
    /// The earliest time at which a loaded lazy tenant or a deployed artifact with nothing in
    /// flight becomes idle-expired; nil when nothing will expire without a request first.
    ///
    /// A scan of what is loaded, as `sweep()` is: the deadlines move with every request's end, so
    /// keeping them in a heap would mean a heap update per request to save a scan per sweep.
    public func nextIdleDeadline() -> SimulatedTime? {
        let (tenantDeadline, loaded) = slots.withLock { slots in
            var earliest: SimulatedTime?
            var loaded: [Tenant] = []
            for slot in slots.values {
                if let deadline = slot.lifecycle.idleDeadline(configuration.tenantIdle) {
                    earliest = min(earliest ?? deadline, deadline)
                }
                if slot.lifecycle.state == .loaded, let tenant = slot.tenant { loaded.append(tenant) }
            }
            return (earliest, loaded)
        }
        guard configuration.ghostDeployment else { return tenantDeadline }
        var earliest = tenantDeadline
        for tenant in loaded {
            for artifact in tenant.builtArtifacts {
                if let deadline = artifact.idleDeadline(configuration.artifactIdle) {
                    earliest = min(earliest ?? deadline, deadline)
                }
            }
        }
        return earliest
    }

    /// Advances a stepped clock to `target`, firing every idle deadline up to it in order with the
    /// clock reading each deadline as it fires, and returns once all of them are processed: the
    /// runtime has settled at `target`. Memory is released for real on the way; only the waiting
    /// is skipped. Advances are serialized; advancing to the clock's own time only settles.
    @discardableResult
    public func advance(to target: SimulatedTime) throws(ClockAdvanceError) -> AdvanceReport {
        guard let stepped = clock as? SteppedClock else { throw .notStepped }
        return try stepped.advancing.withLock { _ throws(ClockAdvanceError) -> AdvanceReport in
            let start = stepped.now
            guard target >= start else { throw .backwards(now: start, requested: target) }
            var report = AdvanceReport(now: target)
            var previous: SimulatedTime?
            var next = nextIdleDeadline()
            while let due = next, due <= target {
                // A deadline that a sweep at its own time did not clear belongs to something a
                // request holds right now; its end sets a new deadline, so stop rather than spin.
                if let previous, due <= previous { break }
                stepped.set(to: max(due, start))
                let swept = sweep()
                report.deadlinesFired += 1
                report.swept.artifactsGhosted += swept.artifactsGhosted
                report.swept.tenantsUnloaded += swept.tenantsUnloaded
                previous = due
                next = nextIdleDeadline()
            }
            stepped.set(to: target)
            // The scan that ended the loop already names the next deadline: no second one.
            report.nextDeadline = next
            return report
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating), as the clock protocol writes times.
    public var nanosecondCount: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(attoseconds / 1_000_000_000).overflow
            ? .max : product + attoseconds / 1_000_000_000
    }
}
