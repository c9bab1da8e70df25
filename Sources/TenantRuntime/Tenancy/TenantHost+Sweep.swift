/// What one sweep did.
public struct SweepReport: Sendable, Equatable {
    /// Artifacts turned back into ghosts.
    public var artifactsGhosted = 0
    /// Tenants unloaded.
    public var tenantsUnloaded = 0
}

extension TenantHost {
    /// Ghosts artifacts idle for `artifactIdle` and unloads lazy tenants idle for `tenantIdle`,
    /// never touching anything with a request in flight. The sweeper thread calls this at each
    /// idle deadline, `advance(to:)` at each deadline of a stepped clock; tests call it directly
    /// after advancing a manual clock.
    @discardableResult
    public func sweep() -> SweepReport {
        let now = clock.now
        let (unloading, loaded) = slots.withLock { slots in
            var unloading: [TenantSlot] = []
            var loaded: [Tenant] = []
            for slot in slots.values {
                if slot.lifecycle.unloadIfIdle(now: now, idle: configuration.tenantIdle) {
                    slot.transition = CompletionGate()
                    unloading.append(slot)
                } else if slot.lifecycle.state == .loaded, let tenant = slot.tenant {
                    loaded.append(tenant)
                }
            }
            return (unloading, loaded)
        }

        var report = SweepReport()
        if configuration.ghostDeployment {
            for tenant in loaded {
                report.artifactsGhosted += tenant.ghostIdleArtifacts(now: now, idle: configuration.artifactIdle)
            }
        }
        for slot in unloading {
            unload(slot)
            report.tenantsUnloaded += 1
        }
        return report
    }

    /// Drops an unloading tenant and its bookkeeping, then lets waiting requests retry.
    func unload(_ slot: TenantSlot) {
        let (tenant, gate) = slots.withLock { slots in
            let tenant = slot.tenant
            slot.tenant = nil
            slot.lifecycle.unloadFinished()
            slots[slot.name] = nil
            return (tenant, slot.transition)
        }
        counters.bump(.tenantUnloads)
        // Drop the last reference outside the lock: the tenant, its artifacts and their deployed
        // state are freed here, then waiting requests retry and load afresh.
        withExtendedLifetime(tenant) {}
        gate?.open()
    }

    /// How many tenants have bookkeeping (loading, loaded or unloading); zero after all unload.
    public var trackedTenantCount: Int { slots.withLock { $0.count } }
}
