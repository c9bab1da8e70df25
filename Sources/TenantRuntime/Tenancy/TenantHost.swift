import Glibc
import SoakUnits
import Synchronization

/// The lazy-loading multi-tenant runtime: loads a tenant on its first request, deploys a ghost
/// artifact on its first request, and lets `sweep()` ghost idle artifacts and unload idle tenants.
///
/// Thread-safe. Requests run on the caller's thread; loads and deployments run on the thread of
/// the first request that needs them while concurrent callers wait, bounded by `waitTimeout`.
public final class TenantHost: Sendable {
    /// The registry served.
    public let registry: Registry
    /// Idle times, eager tenants, ghosts and injected leaks.
    public let configuration: RuntimeConfiguration
    /// The simulated time every deadline is measured in.
    public let clock: any RuntimeClock
    /// Live instance counts of the runtime's classes.
    public let liveInstances = LiveInstances()

    let counters = RuntimeCounters()
    let slots = Mutex<[RegistryName: TenantSlot]>([:])
    let loader: TenantLoader
    /// When the sweeper means to wake next; a request that creates an earlier deadline rings it.
    let sweepSchedule = SweepSchedule()
    /// Under `--partitions`, the partitions this node may read; nil: all of them.
    let ownership: PartitionOwnership?

    /// A runtime over `registry`; eager tenants load on `loadEagerTenants()`, the others on their first request.
    public init(registry: Registry, configuration: RuntimeConfiguration, clock: any RuntimeClock) {
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
        ownership = configuration.partitions.map(PartitionOwnership.init)
        let context = DeploymentContext(
            clock: clock, deployer: Deployer(registry: registry, live: liveInstances),
            ghosts: GhostStore(registry: registry),
            leaks: LeakInjector(kind: configuration.injectedLeak, bytesPerLeak: configuration.leakBytes, live: liveInstances),
            counters: counters, live: liveInstances, waitTimeout: configuration.waitTimeout,
            artifactIdle: configuration.ghostDeployment ? configuration.artifactIdle : nil)
        loader = TenantLoader(
            registry: registry, context: context, ghostDeployment: configuration.ghostDeployment,
            hook: configuration.loadHook)
    }

    /// Loads every tenant `configuration.eager` names; they are never unloaded. Returns the
    /// tenants that failed, with why, so start-up can report them.
    @discardableResult
    public func loadEagerTenants() throws -> [(tenant: String, error: RuntimeError)] {
        guard !configuration.eager.isEmpty else { return [] }
        var failures: [(String, RuntimeError)] = []
        for name in try registry.tenantNames() where configuration.eager.contains(name) {
            do {
                try withTenant(name) { _, _ in }
            } catch {
                failures.append((name.text, error))
            }
        }
        return failures
    }

    /// Serves `GET /t/<tenant>/<artifact><rest>`, loading and deploying as needed.
    public func invoke(tenant tenantText: String, artifact artifactText: String, rest: String) -> Invocation {
        invoke(tenant: tenantText, artifact: artifactText, rest: rest, mayBlock: true)!
    }

    /// Serves the request only when that needs no load, no deployment and no wait (the tenant
    /// loaded, the artifact actual); nil otherwise, having changed nothing. For an event loop,
    /// which answers warm requests on its own thread and hands the rest to a thread that may block.
    public func invokeIfWarm(tenant tenantText: String, artifact artifactText: String, rest: String) -> Invocation? {
        invoke(tenant: tenantText, artifact: artifactText, rest: rest, mayBlock: false)
    }

    private func invoke(tenant tenantText: String, artifact artifactText: String, rest: String, mayBlock: Bool)
        -> Invocation?
    {
        let started = ScaledClock.monotonicNow()
        var invocation = Invocation()
        let tenantName: RegistryName
        do {
            tenantName = try RegistryName(tenantText)
            _ = try RegistryName(artifactText)
        } catch {
            counters.bump(.requests)
            invocation.fail(.badName(error))
            return invocation
        }
        var wouldBlock = false
        do {
            let served = try withTenant(
                tenantName, mayBlock: mayBlock, expired: { invocation.expiredOnArrival.append(.tenant) }
            ) { (tenant, tenantWasLoaded) throws(RuntimeError) in
                invocation.tenantWas = tenantWasLoaded ? .loaded : .unloaded
                guard let artifact = tenant.artifact(named: artifactText) else {
                    throw .unknownArtifact(artifactText, tenant: tenantName)
                }
                guard let (reply, foundGhost, expired) = try artifact.invoke(
                    rest: rest.isEmpty ? "/" : rest, mayBlock: mayBlock)
                else {
                    wouldBlock = true
                    return
                }
                invocation.artifactWas = foundGhost ? .ghost : .actual
                if expired { invocation.expiredOnArrival.append(.artifact) }
                invocation.status = reply.status
                invocation.contentType = reply.contentType
                invocation.body = reply.body
            }
            if !served { wouldBlock = true }
        } catch {
            invocation.fail(error)
        }
        if wouldBlock { return nil }
        counters.bump(.requests)
        invocation.loadMilliseconds = (ScaledClock.monotonicNow() - started).millisecondsValue
        return invocation
    }

    /// Runs `body` with the tenant loaded and counted in flight, loading it first when needed.
    /// Returns false, having changed nothing, when `mayBlock` is false and the tenant is not loaded
    /// (or is past its idle deadline). `expired` runs when this request unloaded an expired tenant.
    @discardableResult
    func withTenant(
        _ name: RegistryName, mayBlock: Bool = true, expired: () -> Void = {},
        _ body: (Tenant, _ wasLoaded: Bool) throws(RuntimeError) -> Void
    ) throws(RuntimeError) -> Bool {
        var wasLoaded = true
        while true {
            var refused = false
            let claimed = slots.withLock { slots -> (TenantLifecycle.RequestAction, TenantSlot, CompletionGate?)? in
                // Checked under the slots' lock, every time round: a release marks partitions
                // unowned first and scans the slots after, so a request either made its slot
                // before the scan (and the release waits for it) or is refused here.
                if let ownership, !ownership.owns(name) {
                    refused = true
                    return nil
                }
                if !mayBlock, slots[name]?.lifecycle.state != .loaded
                    || slots[name]?.lifecycle.isExpired(clock.now, idle: configuration.tenantIdle) == true {
                    return nil
                }
                let slot = slots[name] ?? {
                    let lifecycle = TenantLifecycle(now: clock.now, isEager: configuration.eager.contains(name))
                    let slot = TenantSlot(name: name, lifecycle: lifecycle, live: liveInstances)
                    slots[name] = slot
                    return slot
                }()
                let action = slot.lifecycle.requestArrived(at: clock.now, idle: configuration.tenantIdle)
                if action == .load || action == .expired { slot.transition = CompletionGate() }
                return (action, slot, slot.transition)
            }
            if refused, let ownership {
                throw .notOwned(name, partition: ownership.scheme.partition(of: name.text))
            }
            guard let (action, slot, gate) = claimed else { return false }
            switch action {
            case .serve:
                defer { finishRequest(on: slot) }
                try body(slot.tenant!, wasLoaded)
                return true
            case .load:
                let tenant = try load(name, in: slot, opening: gate!)
                defer { finishRequest(on: slot) }
                try body(tenant, false)
                return true
            case .expired:
                // Unloaded here as the sweep would have, then the loop loads it afresh.
                unload(slot)
                counters.bump(.expiredOnArrival)
                expired()
                wasLoaded = false
            case .wait:
                wasLoaded = false
                guard gate!.wait(timeout: configuration.waitTimeout) else {
                    throw .timedOut("tenant \(name) to load", after: configuration.waitTimeout)
                }
            }
        }
    }

    private func load(_ name: RegistryName, in slot: TenantSlot, opening gate: CompletionGate) throws(RuntimeError) -> Tenant {
        defer { gate.open() }
        do {
            let tenant = try loader.load(name)
            slots.withLock { _ in
                slot.tenant = tenant
                slot.lifecycle.loadFinished(succeeded: true, at: clock.now)
                slot.transition = nil
            }
            return tenant
        } catch {
            // Publish nothing and drop the bookkeeping: the next request starts afresh.
            slots.withLock { slots in
                slot.lifecycle.loadFinished(succeeded: false, at: clock.now)
                slot.transition = nil
                slots[name] = nil
            }
            throw error
        }
    }

    private func finishRequest(on slot: TenantSlot) {
        let now = clock.now
        slots.withLock { _ in slot.lifecycle.requestFinished(at: now) }
        // The request's end starts new idle periods; the sweeper must wake by their deadlines.
        sweepSchedule.deadlineCreated(at: now + shortestIdle)
    }

    /// The shortest idle period anything of this host expires after.
    var shortestIdle: Duration {
        configuration.ghostDeployment ? min(configuration.tenantIdle, configuration.artifactIdle) : configuration.tenantIdle
    }
}

/// The outcome of one request, with what it found.
public struct Invocation: Sendable {
    /// What the request found a tenant or artifact to be when it arrived.
    public enum Found: String, Sendable { case loaded, unloaded, ghost, actual }

    /// The HTTP status.
    public var status = 200
    /// The `Content-Type` of `body`.
    public var contentType = "text/plain"
    /// The response body.
    public var body: [UInt8] = []
    /// `loaded` or `unloaded`; nil when the request never reached a tenant.
    public var tenantWas: Found?
    /// `ghost` or `actual`; nil when the request never reached an artifact.
    public var artifactWas: Found?
    /// Wall-clock milliseconds the request spent, loads and deployments included.
    public var loadMilliseconds = 0.0
    /// What the request found past its idle deadline but not yet swept, and expired itself.
    public var expiredOnArrival: [ExpiredOnArrival] = []

    /// What a request can find expired on arrival.
    public enum ExpiredOnArrival: String, Sendable { case tenant, artifact }

    mutating func fail(_ error: RuntimeError) {
        status = error.status
        contentType = "text/plain"
        body = Array("\(error.message)\n".utf8)
    }
}
