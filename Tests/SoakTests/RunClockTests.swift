import Foundation
import Glibc
import Synchronization
import Testing
@testable import SoakProfiles
@testable import SoakRun

/// Every wait of a run goes through a `RunClock`. On the manual clock, hours of waiting replay in
/// microseconds, and a stop request scheduled at a time ends the wait exactly then.
@Suite struct RunClockTests {
    @Test func aManualSleepMovesTimeAndRunsTheEventsItPasses() {
        let clock = ManualRunClock()
        let log = Mutex<[Duration]>([])
        clock.at(.seconds(5)) { log.withLock { $0.append(.seconds(5)) } }
        clock.at(.seconds(2)) { log.withLock { $0.append(.seconds(2)) } }
        #expect(clock.sleep(until: .seconds(3), unless: { false }))
        #expect(clock.now == .seconds(3))
        #expect(log.withLock { $0 } == [.seconds(2)])
        clock.advance(by: .seconds(10))
        #expect(clock.now == .seconds(13))
        #expect(log.withLock { $0 } == [.seconds(2), .seconds(5)])
    }

    @Test func aStopRequestEndsASleepWhenItArrives() {
        let clock = ManualRunClock()
        let stop = StopFlag()
        clock.at(.seconds(7)) { stop.raise() }
        #expect(!clock.sleep(until: .seconds(86_400), unless: { stop.isRaised }))
        #expect(clock.now == .seconds(7), "the day-long sleep ended with the request, not at its deadline")
        #expect(!clock.sleep(until: .seconds(86_400), unless: { stop.isRaised }), "and every later one at once")
        #expect(clock.now == .seconds(7))
    }

    @Test func pollChecksEveryStepUntilTheValueOrTheDeadline() {
        let clock = ManualRunClock()
        let found = clock.poll(every: .milliseconds(10), for: .seconds(1)) { clock.now >= .milliseconds(250) ? 1 : nil }
        guard case .value(1) = found else { Issue.record("\(found)"); return }
        #expect(clock.now == .milliseconds(250))
        let missing: Polled<Int> = clock.poll(every: .milliseconds(10), for: .seconds(1)) { nil }
        guard case .timedOut = missing else { Issue.record("\(missing)"); return }
        #expect(clock.now == .milliseconds(1250))
    }

    @Test func theSystemClockIsWokenFromAnotherThread() {
        let clock = SystemRunClock()
        let stop = StopFlag()
        let start = clock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(30)) {
            stop.raise()
            clock.wake()
        }
        #expect(!clock.sleep(until: start + .seconds(60), unless: { stop.isRaised }))
        #expect(clock.now - start < .seconds(5))
    }
}

@Suite struct TeardownTests {
    @Test func aTargetIgnoringSIGTERMGetsSIGKILLWhenTheGraceEnds() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        let teardown = Teardown.run(target, grace: .seconds(5), clock: clock)
        #expect(teardown.step == .sigkill)
        #expect(teardown.exit == .signaled(signal: SIGKILL))
        #expect(target.signals == [SIGTERM, SIGKILL])
        #expect(target.signalTimes == [.zero, .seconds(5)], "SIGTERM, the whole grace, then SIGKILL")
    }

    @Test func aTargetThatExitsOnSIGTERMEndsTheGraceEarly() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock, exitsAfterSIGTERM: .milliseconds(1200))
        let teardown = Teardown.run(target, grace: .seconds(5), clock: clock)
        #expect(teardown.step == .sigterm)
        #expect(teardown.exit == .signaled(signal: SIGTERM))
        // SIGKILL after the exit only sweeps up what the target left in its group.
        #expect(target.signals == [SIGTERM, SIGKILL])
        #expect(clock.now >= .milliseconds(1200) && clock.now <= .milliseconds(1200) + Teardown.exitPollStep)
    }

    @Test func aFurtherStopRequestCutsTheGraceShort() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        let again = StopFlag()
        clock.at(.seconds(2)) { again.raise() }
        let teardown = Teardown.run(target, grace: .seconds(30), clock: clock, hurry: { again.isRaised })
        #expect(teardown.step == .sigkill)
        #expect(target.signalTimes == [.zero, .seconds(2)])
    }

    @Test func aTargetAlreadyGoneIsOnlySweptUp() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        target.exits(.exited(status: 3), at: .zero)
        let teardown = Teardown.run(target, grace: .seconds(5), clock: clock)
        #expect(teardown.step == .alreadyExited)
        #expect(teardown.exit == .exited(status: 3))
        #expect(target.signals == [SIGKILL])
        #expect(clock.now == .zero)
    }
}

@Suite struct ReadinessWaiterTests {
    func plan(_ readiness: Profile.Readiness, timeout: Duration = .seconds(30)) -> TargetLaunchPlan {
        TargetLaunchPlan(
            launch: LaunchSpec(
                executable: "/bin/true", arguments: [], stdoutPath: "/dev/null", stderrPath: "/dev/null"),
            readiness: readiness, readyTimeout: timeout, baseURL: nil, statsPath: nil)
    }

    @Test func aTargetThatNeverSaysItIsReadyTimesOutOnTheClock() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        do {
            _ = try ReadinessWaiter.wait(for: target, plan: plan(.stdoutLine("listening on ")), clock: clock)
            Issue.record("ready without a line")
        } catch {
            #expect(error.description
                == "the target is not ready: no line containing \"listening on \" on stdout within 30s")
        }
        #expect(clock.now == .seconds(30), "the whole bound, and not a moment of real sleep")
    }

    @Test func theReadinessLineGivesTheBaseURL() throws {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        target.prints("listening on 127.0.0.1:4242", at: .seconds(3))
        let outcome = try ReadinessWaiter.wait(for: target, plan: plan(.stdoutLine("listening on ")), clock: clock)
        #expect(outcome == .ready(baseURL: "http://127.0.0.1:4242"))
        #expect(clock.now == .seconds(3))
    }

    @Test func aStopRequestEndsTheWaitAtOnce() throws {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        let stop = StopFlag()
        clock.at(.seconds(2)) { stop.raise() }
        let outcome = try ReadinessWaiter.wait(
            for: target, plan: plan(.stdoutLine("listening on ")), clock: clock, stopRequested: { stop.isRaised })
        #expect(outcome == .interrupted)
        #expect(clock.now == .seconds(2))

        // A start-up delay of an hour is cut short the same way.
        let delayed = try ReadinessWaiter.wait(
            for: target, plan: plan(.delay(.seconds(3600))), clock: clock, stopRequested: { stop.isRaised })
        #expect(delayed == .interrupted)
        #expect(clock.now == .seconds(2))
    }

    @Test func aTargetThatExitsFirstIsNamed() {
        let clock = ManualRunClock()
        let target = ScriptedProcess(clock: clock)
        target.exits(.exited(status: 2), at: .seconds(1))
        do {
            _ = try ReadinessWaiter.wait(for: target, plan: plan(.stdoutLine("listening on ")), clock: clock)
            Issue.record("ready after an exit")
        } catch {
            #expect(error.description.hasPrefix("the target exited with status 2 before it was ready"), "\(error)")
        }
        #expect(clock.now < .seconds(2), "it stops waiting once the target is gone")
    }
}

@Suite struct StopWaitTests {
    @Test func soakStopWaitsUntilTheHarnessHasEnded() {
        let clock = ManualRunClock()
        let ended = StopFlag()
        clock.at(.seconds(3)) { ended.raise() }
        #expect(HarnessStop.waitUntilEnded(timeout: .seconds(10), clock: clock) { ended.isRaised })
        #expect(clock.now >= .seconds(3) && clock.now <= .seconds(3) + HarnessStop.lookEvery)
    }

    @Test func soakStopGivesUpAtItsTimeout() {
        let clock = ManualRunClock()
        #expect(!HarnessStop.waitUntilEnded(timeout: .seconds(10), clock: clock) { false })
        #expect(clock.now == .seconds(10))
    }

    @Test func aHeldRunFolderIsRefusedAfterThePatienceOnTheClock() throws {
        let path = NSTemporaryDirectory() + "lazysoak-clock-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let folder = RunFolder(path: path)
        let owner = try RunLock.acquire(folder)
        let clock = ManualRunClock()
        #expect(throws: RunLockError.self) { _ = try RunLock.acquire(folder, patience: .seconds(2), clock: clock) }
        #expect(clock.now == .seconds(2), "it kept trying for the whole patience, without sleeping")
        #expect(clock.sleeps > 100)
        _ = owner
    }
}

@Suite struct ScenarioDriverStopTests {
    /// At 0.0001x a cycle lasts three weeks of wall time and a sample period a week: the stop
    /// must not wait for either.
    @Test func aStopRequestEndsASlowRunMidSleep() {
        let clock = ManualRunClock()
        let stop = StopFlag()
        clock.at(.seconds(2)) { stop.raise() }
        let sink = CollectingSink()
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: Profile.Scenario(
                kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180),
                duration: .seconds(172_800))),
            sampling: Profile.Sampling(), scale: 0.0001, clock: clock, sender: FakeSender(clock: clock),
            sampler: FakeSampler(), sink: sink, shouldStop: { stop.isRaised ? .interrupted : nil })
        let result = driver.run()
        #expect(result.stoppedBy == .interrupted)
        #expect(result.cyclesCompleted == 1)
        #expect(clock.now == .seconds(2))
    }

    @Test func aStopRequestEndsARealTimeRunBetweenTenMinuteSamples() {
        let clock = ManualRunClock()
        let stop = StopFlag()
        clock.at(.seconds(95)) { stop.raise() }
        var sampling = Profile.Sampling()
        sampling.every = .seconds(600)
        let driver = ScenarioDriver(
            plan: ScenarioPlan(scenario: Profile.Scenario(
                kind: .serviceGhost, requests: ["/t/t1/a1.service"], interval: .seconds(180),
                duration: .seconds(172_800))),
            sampling: sampling, scale: 1, clock: clock, sender: FakeSender(clock: clock),
            sampler: FakeSampler(), sink: CollectingSink(), shouldStop: { stop.isRaised ? .interrupted : nil })
        let result = driver.run()
        #expect(result.stoppedBy == .interrupted)
        #expect(clock.now == .seconds(95))
    }
}
