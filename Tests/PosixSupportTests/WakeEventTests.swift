import Glibc
import Testing
@testable import PosixSupport

/// The doorbell every wait of a run polls beside its deadline. These use real time, briefly: they
/// prove the system side that the manual clock stands in for elsewhere.
@Suite struct WakeEventTests {
    @Test func aRingBeforeTheWaitEndsItAtOnceAndIsConsumed() throws {
        let event = try WakeEvent()
        event.ring()
        event.ring()
        let start = MonotonicClock.now
        #expect(event.wait(until: start + .seconds(10)))
        #expect(MonotonicClock.now - start < .seconds(1))
        // Both rings were drained: the next wait runs to its deadline.
        #expect(!event.wait(until: MonotonicClock.now + .milliseconds(20)))
    }

    @Test func aRingFromAnotherThreadWakesALongWait() throws {
        let event = try WakeEvent()
        let start = MonotonicClock.now
        let ringer = DelayedThread { event.ring() }
        ringer.start(after: .milliseconds(30))
        #expect(event.wait(until: start + .seconds(60)))
        #expect(MonotonicClock.now - start < .seconds(5))
    }

    @Test func anUnrungWaitEndsAtItsDeadlineNotBefore() throws {
        let event = try WakeEvent()
        let deadline = MonotonicClock.now + .microseconds(15_500)
        #expect(!event.wait(until: deadline))
        #expect(MonotonicClock.now >= deadline, "poll counts milliseconds; the remainder is slept exactly")
    }

    @Test func theSignalHandlerPathRingsByDescriptor() throws {
        let event = try WakeEvent()
        errno = EDOM
        WakeEvent.ring(descriptor: event.ringDescriptor)
        #expect(errno == EDOM, "a handler must leave errno as it found it")
        #expect(event.wait(until: MonotonicClock.now))
    }

    @Test func absoluteTimespecsMatchTheClock() {
        let spec = MonotonicClock.absoluteTimespec(at: .seconds(12) + .nanoseconds(345))
        #expect(spec.tv_sec == 12 && spec.tv_nsec == 345)
        #expect(MonotonicClock.absoluteTimespec(at: .seconds(-3)).tv_sec == 0)
    }
}

/// A pthread that runs `body` after a delay, for ringing from elsewhere.
private final class DelayedThread: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start(after delay: Duration) {
        let context = Unmanaged.passRetained(Box(body: body, delay: delay)).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            MonotonicClock.sleep(until: MonotonicClock.now + box.delay)
            box.body()
            return nil
        }, context)
        pthread_detach(thread)
    }

    private final class Box {
        let body: @Sendable () -> Void
        let delay: Duration
        init(body: @escaping @Sendable () -> Void, delay: Duration) {
            self.body = body
            self.delay = delay
        }
    }
}
