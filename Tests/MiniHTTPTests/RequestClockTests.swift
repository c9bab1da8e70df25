import Testing
@testable import MiniHTTP

/// A connection's deadlines stepped with hand-made instants: no sleeping.
@Suite struct RequestClockTests {
    private let start = ContinuousClock.now
    private let configuration = HTTPServerConfiguration(idleTimeout: .seconds(30), headerTimeout: .seconds(10))

    private func at(_ seconds: Double) -> ContinuousClock.Instant {
        start + .milliseconds(Int64(seconds * 1000))
    }

    /// `needsMoreBytes` as a free call: #expect's expansion cannot call a mutating member.
    private func need(
        _ clock: inout RequestClock, between: Bool, body: Bool = false, at seconds: Double
    ) -> RequestClock.Change? {
        clock.needsMoreBytes(isBetweenRequests: between, awaitingBody: body, now: at(seconds))
    }

    @Test func aTricklingHeadKeepsTheDeadlineOfItsFirstByte() {
        var clock = RequestClock(accepted: start, configuration: configuration)
        #expect(clock.deadline == at(10), "nothing received: header timeout from accept, idle if shorter")
        #expect(need(&clock, between: true, at: 0) == nil)
        clock.bytesArrived(now: at(0.1))
        #expect(need(&clock, between: false, at: 0.1) == .receiving)
        for second in stride(from: 1.0, through: 9.0, by: 1.0) {
            clock.bytesArrived(now: at(second))
            #expect(need(&clock, between: false, at: second) == nil)
            #expect(clock.deadline == at(10), "a byte at \(second) s must not extend the deadline")
        }
        #expect(clock.lateRequestPart(bytesBuffered: true) == "request head not received within 10.0 seconds")
    }

    @Test func aSilentNewConnectionClosesQuietlyAtTheShorterTimeout() {
        let quick = HTTPServerConfiguration(idleTimeout: .seconds(2), headerTimeout: .seconds(10))
        let clock = RequestClock(accepted: start, configuration: quick)
        #expect(clock.deadline == at(2))
        #expect(clock.lateRequestPart(bytesBuffered: false) == nil, "no request under way: no 408")
    }

    @Test func keepAliveWaitsIdleThenTimesTheNextHeadFromItsFirstByte() {
        var clock = RequestClock(accepted: start, configuration: configuration)
        clock.bytesArrived(now: at(0.1))
        clock.requestAnswered(nextAlreadyStarted: false, now: at(0.2))
        #expect(need(&clock, between: true, at: 0.2) == .idle)
        #expect(clock.deadline == at(30.2))
        #expect(clock.lateRequestPart(bytesBuffered: false) == nil)
        clock.bytesArrived(now: at(25))
        #expect(clock.deadline == at(35), "the next head is due 10 s after its first byte")
        #expect(need(&clock, between: false, at: 25) == .receiving)
        clock.bytesArrived(now: at(34))
        #expect(clock.deadline == at(35))
    }

    @Test func aBodyIsDueWithinTheIdleTimeoutOfItsHead() {
        var clock = RequestClock(accepted: start, configuration: configuration)
        clock.bytesArrived(now: at(1))
        #expect(need(&clock, between: false, body: true, at: 2) == .receiving)
        #expect(clock.deadline == at(32))
        clock.bytesArrived(now: at(20))
        #expect(need(&clock, between: false, body: true, at: 20) == nil)
        #expect(clock.deadline == at(32))
        let late = clock.lateRequestPart(bytesBuffered: true)
        #expect(late == "request body not received within 30.0 seconds of its head")
    }

    @Test func pipelinedBytesStartTheNextHeadAtOnce() {
        var clock = RequestClock(accepted: start, configuration: configuration)
        clock.bytesArrived(now: at(0))
        clock.requestAnswered(nextAlreadyStarted: true, now: at(3))
        #expect(clock.deadline == at(13))
        #expect(need(&clock, between: false, at: 3) == .receiving)
    }

    @Test func blankLinesBeforeARequestDoNotExtendAnything() {
        var clock = RequestClock(accepted: start, configuration: configuration)
        clock.bytesArrived(now: at(4))
        // The parser skipped the CRLFs: nothing buffered, but the head's clock keeps running.
        #expect(need(&clock, between: true, at: 5) == nil)
        #expect(clock.deadline == at(10))
    }
}
