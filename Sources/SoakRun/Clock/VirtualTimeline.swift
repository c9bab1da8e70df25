import MiniHTTP
import PosixSupport
import SoakProfiles
import SoakUnits

/// The target's virtual clock as the harness drives it on a stepped run.
package protocol VirtualTimeline: AnyObject {
    /// Advances the target's clock to `time` (simulated time since the run began) and returns once
    /// the target says it has processed every deadline up to it; the failure says why it did not.
    ///
    /// When the target's last settled answer said nothing is due before a later time, an advance
    /// short of it changes nothing at the target and is not sent: the target is settled at `time`
    /// as it stands. The clock itself moves before the next request (``catchUp()``).
    func advance(to time: Duration) -> Result<Void, TimelineError>
    /// Moves the target's clock to the time the harness holds it settled at, when advances were
    /// skipped since; a request must find the clock at its own time.
    func catchUp() -> Result<Void, TimelineError>
    /// Sends `message` and, on the same connection without waiting for its answer, the advance
    /// to `time` (and, in front of the message, any advance ``catchUp()`` would send), when the
    /// clock is served at `authority` (the message's host and port); nil when it is served
    /// elsewhere, and nothing was sent. The target answers the message before it moves the
    /// clock, so this is the messages sent one after the other, less the round trips.
    func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)?
    /// The answer to the last advance, parsed, once per advance (a skipped one included), while
    /// the target was sent nothing else since; nil otherwise, or once taken.
    func takeSettledAnswer() -> ProfileJSON?
    /// Says the target was sent something (a request) since the last advance, whose answer no
    /// longer describes it.
    func targetWasSent()
}

extension VirtualTimeline {
    package func catchUp() -> Result<Void, TimelineError> { .success(()) }
    package func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)? { nil }
    package func takeSettledAnswer() -> ProfileJSON? { nil }
    package func targetWasSent() {}
}

/// Why an advance did not settle.
package struct TimelineError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// The stepped-clock protocol over HTTP (README, "The stepped clock protocol"):
/// `POST <clockURL>?advance_to_ns=N`, answered 2xx once the target has settled at N.
///
/// Chosen over a shared-memory page because the answer to a request is itself the synchronous
/// "settled" signal a shared page would need a futex handshake for, any HTTP server in any
/// language can adopt it in a few lines, and the harness already speaks HTTP to the target. One
/// loopback round trip per advance costs tens of microseconds, against milliseconds per cycle.
package final class HTTPVirtualTimeline: VirtualTimeline {
    private let endpoint: TargetEndpoint
    private let pipelining: Bool
    /// Where the target's clock is: the time of the last advance it answered.
    private var reached: Duration?
    /// Where the harness holds the target settled: `reached`, or later when the advances since
    /// were skipped because nothing was due before them.
    private var settledAt: Duration?
    /// The last settled answer, while the target was sent nothing else since.
    private var lastAnswer: ProfileJSON?
    private var answerTaken = true
    /// Before this time nothing is due at the target without a request first, as its last
    /// settled answer said (`next_deadline_ns`); nil when it did not say, and every advance goes.
    private var quietUntil: Duration?
    /// A catch-up sent in front of a request that the target refused; the next advance reports it.
    private var failedCatchUp: TimelineError?
    /// Told once when the target's answers hold something the harness ignores (a malformed
    /// `next_deadline_ns`), so a server adopting the protocol learns why nothing is skipped.
    package var onNotice: ((String) -> Void)?
    private var noticed = false

    /// Checks that the target answers the protocol at `url` (`GET` says `"clock":"stepped"`);
    /// the failure says what it found instead.
    /// With `pipelining`, ``advance(to:after:at:)`` sends a message and an advance in one
    /// exchange; without, it declines and they go one after the other.
    package static func connect(
        to url: String, timeout: Duration, pipelining: Bool = false
    ) -> Result<HTTPVirtualTimeline, TimelineError> {
        let endpoint: TargetEndpoint
        switch TargetEndpoint.resolve(url, role: .base, timeout: timeout) {
        case .success(let resolved): endpoint = resolved
        case .failure(let error): return .failure(TimelineError("clock URL \(url): \(error)"))
        }
        let path = endpoint.url.path.isEmpty ? "/" : endpoint.url.path
        let response: HTTPResponse
        do {
            response = try endpoint.client.get(path)
        } catch {
            return .failure(TimelineError("GET \(url) got no answer: \(error)"))
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        guard (200..<300).contains(response.status), text.filter({ !$0.isWhitespace }).contains(#""clock":"stepped""#) else {
            return .failure(TimelineError("GET \(url) answered \(response.status) \(text.debugDescription), not "
                + #"{"clock":"stepped",...}: the target does not serve the stepped-clock protocol there"#))
        }
        return .success(HTTPVirtualTimeline(endpoint: endpoint, pipelining: pipelining))
    }

    private init(endpoint: TargetEndpoint, pipelining: Bool) {
        self.endpoint = endpoint
        self.pipelining = pipelining
    }

    /// The clock's path; a URL without one serves the protocol at `/`.
    private var path: String { endpoint.url.path.isEmpty ? "/" : endpoint.url.path }

    package func takeSettledAnswer() -> ProfileJSON? {
        guard !answerTaken else { return nil }
        answerTaken = true
        return lastAnswer
    }

    package func targetWasSent() {
        lastAnswer = nil
        quietUntil = nil
    }

    package func advance(to time: Duration) -> Result<Void, TimelineError> {
        if let failedCatchUp { return .failure(failedCatchUp) }
        // An advance to the time reached costs nothing, and leaves the last answer as it was.
        if time == settledAt { return .success(()) }
        if let settledAt, let quietUntil, lastAnswer != nil, time > settledAt, time < quietUntil {
            // Nothing is due before `quietUntil`: the settled state at `time` is the one the
            // last answer describes, and the target is not sent anything.
            self.settledAt = time
            answerTaken = false
            return .success(())
        }
        return send(advanceRequest(to: time), settlingAt: time)
    }

    package func catchUp() -> Result<Void, TimelineError> {
        if let failedCatchUp { return .failure(failedCatchUp) }
        guard let settledAt, settledAt != reached else { return .success(()) }
        return send(advanceRequest(to: settledAt), settlingAt: settledAt)
    }

    private func send(_ request: HTTPRequest, settlingAt time: Duration) -> Result<Void, TimelineError> {
        lastAnswer = nil
        quietUntil = nil
        do {
            return settle(at: time, answer: try endpoint.client.send(request))
        } catch {
            return .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: no answer: \(error)"))
        }
    }

    package func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)? {
        // An advance to the request's own time is sent too: it settles the state the request
        // left, and its answer is the sample's stats there.
        guard pipelining, failedCatchUp == nil, authority == endpoint.url.authority else { return nil }
        // Advances skipped since the last answer go in front of the message: it must find the
        // clock at its own time.
        let catchingUp = settledAt.flatMap { $0 != reached ? $0 : nil }
        lastAnswer = nil
        quietUntil = nil
        var batch = [message, advanceRequest(to: time)]
        if let catchingUp { batch.insert(advanceRequest(to: catchingUp), at: 0) }
        do {
            let (first, rest) = try endpoint.client.send(batch[0], followedBy: Array(batch.dropFirst()))
            var answers = [.success(first)] + rest
            if let catchingUp, case .success(let caughtUp) = answers.removeFirst(),
               case .failure(let error) = settle(at: catchingUp, answer: caughtUp, reading: false) {
                failedCatchUp = error
            }
            guard case .success = answers[0] else {
                return (answers[0], .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: not sent")))
            }
            if let failedCatchUp { return (answers[0], .failure(failedCatchUp)) }
            switch answers[1] {
            case .success(let response): return (answers[0], settle(at: time, answer: response))
            case .failure(let error):
                return (answers[0], .failure(TimelineError(
                    "advancing to \(Self.nanoseconds(time)) ns: no answer: \(error)")))
            }
        } catch let error as HTTPClientError {
            // Without an answer to the first message the ones behind it may or may not have been
            // read: the clock is where it was as far as the harness knows, and the next advance
            // says where the target is.
            return (.failure(error), .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: not sent")))
        } catch {
            return (.failure(.invalidResponse("\(error)")), .failure(TimelineError("\(error)")))
        }
    }

    private func advanceRequest(to time: Duration) -> HTTPRequest {
        HTTPRequest(method: "POST", target: "\(path)?advance_to_ns=\(Self.nanoseconds(time))")
    }

    /// Takes the target's answer to an advance to `time`.
    /// Without `reading`, the answer is only checked: a message behind it made it stale.
    private func settle(
        at time: Duration, answer response: HTTPResponse, reading: Bool = true
    ) -> Result<Void, TimelineError> {
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            return .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: status \(response.status): "
                + text.trimmingWhitespace()))
        }
        reached = time
        settledAt = time
        guard reading else { return .success(()) }
        var parser = ProfileJSONParser(bytes: response.body)
        lastAnswer = try? parser.parseDocument()
        answerTaken = false
        quietUntil = lastAnswer.flatMap(nextDeadline)
        return .success(())
    }

    /// The answer's `next_deadline_ns`: a time, or (null) one past every time the run reaches;
    /// nil when the answer does not say, or says something else (noticed once).
    private func nextDeadline(in answer: ProfileJSON) -> Duration? {
        guard case .object(let members) = answer.kind,
              let member = members.last(where: { $0.key == "next_deadline_ns" }) else { return nil }
        switch member.value.kind {
        case .null: return .seconds(Int64.max)
        case .number(let text):
            if let nanoseconds = Int64(text), nanoseconds >= 0 { return .nanoseconds(nanoseconds) }
        default: break
        }
        if !noticed {
            noticed = true
            onNotice?("the clock's answer gives next_deadline_ns as \(member.value.foundText), not a whole number "
                + "of nanoseconds from 0 or null; it is ignored, and every advance is sent (README, \"The stepped "
                + "clock protocol\")")
        }
        return nil
    }

    static func nanoseconds(_ time: Duration) -> Int64 {
        let (seconds, attoseconds) = time.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
