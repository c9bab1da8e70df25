import Synchronization

/// One artifact of a loaded tenant: a ghost holding metadata, or the deployed real thing.
final class Artifact: Sendable {
    let id: ArtifactID
    let tenant: RegistryName

    private struct Guarded: ~Copyable {
        var lifecycle: ArtifactLifecycle
        /// Nil until first needed: the ghost file is read lazily (see `ghost`).
        var ghost: GhostRecord?
        var deployed: (any DeployedArtifact)?
        var deployment: CompletionGate?
    }

    private let guarded: Mutex<Guarded>
    private let context: DeploymentContext

    init(id: ArtifactID, tenant: RegistryName, context: DeploymentContext) {
        self.id = id
        self.tenant = tenant
        self.context = context
        guarded = Mutex(Guarded(lifecycle: ArtifactLifecycle(now: context.clock.now), ghost: nil))
        context.live.created(.artifact)
    }

    deinit { context.live.destroyed(.artifact) }

    /// The artifact's state now.
    var state: ArtifactLifecycle.State { guarded.withLock { $0.lifecycle.state } }

    /// The ghost metadata (refreshed by each deployment). Read from the ghost file on first use,
    /// outside the lock; a stale or missing file gives a bare ghost.
    var ghost: GhostRecord {
        if let ghost = guarded.withLock({ $0.ghost }) { return ghost }
        let read = context.ghosts.ghost(of: id, in: tenant)
        return guarded.withLock { state in
            if let ghost = state.ghost { return ghost }
            state.ghost = read
            return read
        }
    }

    /// Serves one request, deploying the ghost first when needed. `foundGhost` in the result says
    /// whether the artifact was a ghost (or deploying) when the request arrived; `expired`, whether
    /// it was still deployed but past its idle deadline (the sweep was late; the meaning held).
    /// With `mayBlock` false, an artifact that is not actual, or is expired, is left as it is and
    /// the result is nil.
    func invoke(
        rest: String, mayBlock: Bool = true
    ) throws(RuntimeError) -> (reply: ArtifactReply, foundGhost: Bool, expired: Bool)? {
        var foundGhost = false
        while true {
            typealias Claim = (ArtifactLifecycle.RequestAction, CompletionGate?, (any DeployedArtifact)?)
            let claimed = guarded.withLock { state -> Claim? in
                let now = context.clock.now
                if !mayBlock, state.lifecycle.state != .actual || state.lifecycle.isExpired(now, idle: context.artifactIdle) {
                    return nil
                }
                let action = state.lifecycle.requestArrived(at: now, idle: context.artifactIdle)
                var expired: (any DeployedArtifact)?
                if action == .expired { swap(&expired, &state.deployed) }
                if action == .deploy || action == .expired { state.deployment = CompletionGate() }
                return (action, state.deployment, expired)
            }
            guard let (action, gate, expired) = claimed else { return nil }
            switch action {
            case .serve:
                return (respond(rest), foundGhost, false)
            case .deploy, .expired:
                if expired != nil {
                    // Released here, outside the lock, and counted as the sweep would count it.
                    withExtendedLifetime(expired) {}
                    context.counters.bump(.artifactGhostings)
                    context.counters.bump(.expiredOnArrival)
                }
                try deploy(opening: gate!)
                return (respond(rest), true, expired != nil)
            case .wait:
                foundGhost = true
                guard gate!.wait(timeout: context.waitTimeout) else {
                    throw .timedOut("the deployment of \(id) in tenant \(tenant)", after: context.waitTimeout)
                }
            }
        }
    }

    /// Deploys now, outside any request; for `--no-ghost` tenant loads. Failures leave a ghost.
    func deployWithoutRequest() {
        let gate = guarded.withLock { state -> CompletionGate? in
            guard state.lifecycle.requestArrived(at: context.clock.now) == .deploy else { return nil }
            state.deployment = CompletionGate()
            return state.deployment
        }
        guard let gate else { return }
        if (try? deploy(opening: gate)) != nil { finishRequest() }
    }

    /// When this artifact becomes idle-expired, if it is deployed with nothing in flight.
    func idleDeadline(_ idle: Duration) -> SimulatedTime? {
        guarded.withLock { $0.lifecycle.idleDeadline(idle) }
    }

    /// Drops the deployed form when the artifact has been idle for `idle`; true when it did.
    func ghostIfIdle(now: SimulatedTime, idle: Duration) -> Bool {
        let dropped = guarded.withLock { state -> (any DeployedArtifact)? in
            guard state.lifecycle.ghostIfIdle(now: now, idle: idle) else { return nil }
            defer { state.deployed = nil }
            return state.deployed
        }
        // The deployed form is released here, outside the lock.
        guard dropped != nil else { return false }
        context.counters.bump(.artifactGhostings)
        return true
    }

    private func deploy(opening gate: CompletionGate) throws(RuntimeError) {
        let instance: any DeployedArtifact
        do {
            instance = try context.deployer.deploy(id, of: tenant)
        } catch {
            guarded.withLock { state in
                state.lifecycle.deployFinished(succeeded: false, at: context.clock.now)
                state.deployment = nil
            }
            gate.open()
            throw error
        }
        context.leaks.leak(retaining: instance) { handler in
            (instance as? ServiceInstance)?.retainedHandler = handler
            (instance as? WebappInstance)?.retainedHandler = handler
        }
        let previous = ghost
        if instance.ghostRecord != previous { context.ghosts.save(instance.ghostRecord, in: tenant) }
        guarded.withLock { state in
            state.deployed = instance
            state.ghost = instance.ghostRecord
            state.lifecycle.deployFinished(succeeded: true, at: context.clock.now)
            state.deployment = nil
        }
        context.counters.bump(.artifactDeploys)
        gate.open()
    }

    private func respond(_ rest: String) -> ArtifactReply {
        defer { finishRequest() }
        // `deployed` is set whenever the lifecycle let this request in, and cannot be dropped while
        // the request is in flight.
        let instance = guarded.withLock { $0.deployed }!
        return instance.respond(to: rest)
    }

    private func finishRequest() {
        guarded.withLock { $0.lifecycle.requestFinished(at: context.clock.now) }
    }
}
