import Testing
@testable import TenantRuntime

@Suite struct ArtifactLifecycleTests {
    let start = SimulatedTime(sinceStart: .zero)

    @Test func ghostDeploysOnFirstRequestAndWaitersWait() {
        var lifecycle = ArtifactLifecycle(now: start)
        #expect(lifecycle.state == .ghost)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .deploy)
        }
        #expect(lifecycle.state == .deploying)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .wait)
        }
        lifecycle.deployFinished(succeeded: true, at: start)
        #expect(lifecycle.state == .actual)
        #expect(lifecycle.inFlight == 1)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .serve)
        }
        #expect(lifecycle.inFlight == 2)
    }

    @Test func failedDeploymentReturnsToGhost() {
        var lifecycle = ArtifactLifecycle(now: start)
        _ = lifecycle.requestArrived(at: start)
        lifecycle.deployFinished(succeeded: false, at: start)
        #expect(lifecycle.state == .ghost)
        #expect(lifecycle.inFlight == 0)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .deploy)
        }
    }

    @Test func ghostsOnlyWhenIdleLongEnoughAndNothingInFlight() {
        var lifecycle = ArtifactLifecycle(now: start)
        _ = lifecycle.requestArrived(at: start)
        lifecycle.deployFinished(succeeded: true, at: start)
        let later = start + .seconds(120)
        do {
            let outcome = lifecycle.ghostIfIdle(now: later, idle: .seconds(60))
            #expect(!outcome, "a request is in flight")
        }
        lifecycle.requestFinished(at: start + .seconds(10))
        do {
            let outcome = lifecycle.ghostIfIdle(now: start + .seconds(69), idle: .seconds(60))
            #expect(!outcome)
        }
        do {
            let outcome = lifecycle.ghostIfIdle(now: start + .seconds(70), idle: .seconds(60))
            #expect(outcome)
        }
        #expect(lifecycle.state == .ghost)
    }
}

@Suite struct TenantLifecycleTests {
    let start = SimulatedTime(sinceStart: .zero)

    @Test func fullCycle() {
        var lifecycle = TenantLifecycle(now: start)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .load)
        }
        #expect(lifecycle.state == .loading)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .wait)
        }
        lifecycle.loadFinished(succeeded: true, at: start)
        #expect(lifecycle.state == .loaded)
        lifecycle.requestFinished(at: start)
        do {
            let outcome = lifecycle.unloadIfIdle(now: start + .seconds(60), idle: .seconds(60))
            #expect(outcome)
        }
        #expect(lifecycle.state == .unloading)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .wait)
        }
        lifecycle.unloadFinished()
        #expect(lifecycle.state == .unloaded)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .load)
        }
    }

    @Test func failedLoadPublishesNothingAndRetries() {
        var lifecycle = TenantLifecycle(now: start)
        _ = lifecycle.requestArrived(at: start)
        lifecycle.loadFinished(succeeded: false, at: start)
        #expect(lifecycle.state == .unloaded)
        #expect(lifecycle.inFlight == 0)
        do {
            let outcome = lifecycle.requestArrived(at: start)
            #expect(outcome == .load)
        }
    }

    @Test func neverUnloadsWithRequestInFlightOrWhenEager() {
        var busy = TenantLifecycle(now: start)
        _ = busy.requestArrived(at: start)
        busy.loadFinished(succeeded: true, at: start)
        do {
            let outcome = busy.unloadIfIdle(now: start + .seconds(3600), idle: .seconds(60))
            #expect(!outcome)
        }

        var eager = TenantLifecycle(now: start, isEager: true)
        _ = eager.requestArrived(at: start)
        eager.loadFinished(succeeded: true, at: start, countsAsRequest: false)
        do {
            let outcome = eager.unloadIfIdle(now: start + .seconds(86400 * 30), idle: .seconds(60))
            #expect(!outcome)
        }
    }
}
