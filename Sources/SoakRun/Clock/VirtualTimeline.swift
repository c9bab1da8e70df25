import MiniHTTP
import PosixSupport
import SoakProfiles
import SoakUnits

/// The target's virtual clock as the harness drives it on a stepped run.
package protocol VirtualTimeline: AnyObject {
    /// Advances the target's clock to `time` (simulated time since the run began) and returns once
    /// the target says it has processed every deadline up to it; the failure says why it did not.
    func advance(to time: Duration) -> Result<Void, TimelineError>
    /// Sends `message` and, on the same connection without waiting for its answer, the advance
    /// to `time`, when the clock is served at `authority` (the message's host and port); nil
    /// when it is served elsewhere, and nothing was sent. The target answers the message before
    /// it moves the clock, so this is the two sent one after the other, less one round trip.
    func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)?
    /// The body of the answer to the last advance, once, when that advance went to the target;
    /// nil when none did since the target was last sent anything else, or once taken.
    func takeSettledAnswer() -> [UInt8]?
    /// Says the target was sent something (a request) since the last advance, whose answer no
    /// longer describes it.
    func targetWasSent()
}

extension VirtualTimeline {
    package func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)? { nil }
    package func takeSettledAnswer() -> [UInt8]? { nil }
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
    /// Where the target was last told to be, so an advance to the same time costs nothing.
    private var current: Duration?
    private var settledAnswer: [UInt8]?

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

    package func takeSettledAnswer() -> [UInt8]? {
        defer { settledAnswer = nil }
        return settledAnswer
    }

    package func targetWasSent() { settledAnswer = nil }

    package func advance(to time: Duration) -> Result<Void, TimelineError> {
        // An advance to the time reached costs nothing, and leaves the last answer as it was.
        if time == current { return .success(()) }
        settledAnswer = nil
        let request = advanceRequest(to: time)
        do {
            return settle(at: time, answer: try endpoint.client.send(request))
        } catch {
            return .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: no answer: \(error)"))
        }
    }

    package func advance(
        to time: Duration, after message: HTTPRequest, at authority: String
    ) -> (answer: Result<HTTPResponse, HTTPClientError>, advanced: Result<Void, TimelineError>)? {
        guard pipelining, authority == endpoint.url.authority, time != current else { return nil }
        settledAnswer = nil
        do {
            let (answer, following) = try endpoint.client.send(message, followedBy: advanceRequest(to: time))
            switch following {
            case .success(let response): return (.success(answer), settle(at: time, answer: response))
            case .failure(let error):
                return (.success(answer), .failure(TimelineError(
                    "advancing to \(Self.nanoseconds(time)) ns: no answer: \(error)")))
            }
        } catch let error as HTTPClientError {
            // Without an answer to the message the advance behind it may or may not have been
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
    private func settle(at time: Duration, answer response: HTTPResponse) -> Result<Void, TimelineError> {
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            return .failure(TimelineError("advancing to \(Self.nanoseconds(time)) ns: status \(response.status): "
                + text.trimmingWhitespace()))
        }
        settledAnswer = response.body
        current = time
        return .success(())
    }

    static func nanoseconds(_ time: Duration) -> Int64 {
        let (seconds, attoseconds) = time.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
