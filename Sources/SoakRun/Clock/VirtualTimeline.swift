import MiniHTTP
import PosixSupport
import SoakProfiles
import SoakUnits

/// The target's virtual clock as the harness drives it on a stepped run.
package protocol VirtualTimeline: AnyObject {
    /// Advances the target's clock to `time` (simulated time since the run began) and returns once
    /// the target says it has processed every deadline up to it; the failure says why it did not.
    func advance(to time: Duration) -> Result<Void, TimelineError>
    /// The body of the answer to the last advance, once, when that advance went to the target;
    /// nil after an advance that cost nothing (to the time already reached) or once taken.
    func takeSettledAnswer() -> [UInt8]?
}

extension VirtualTimeline {
    package func takeSettledAnswer() -> [UInt8]? { nil }
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
    /// Where the target was last told to be, so an advance to the same time costs nothing.
    private var current: Duration?
    private var settledAnswer: [UInt8]?

    /// Checks that the target answers the protocol at `url` (`GET` says `"clock":"stepped"`);
    /// the failure says what it found instead.
    package static func connect(to url: String, timeout: Duration) -> Result<HTTPVirtualTimeline, TimelineError> {
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
        return .success(HTTPVirtualTimeline(endpoint: endpoint))
    }

    private init(endpoint: TargetEndpoint) {
        self.endpoint = endpoint
    }

    /// The clock's path; a URL without one serves the protocol at `/`.
    private var path: String { endpoint.url.path.isEmpty ? "/" : endpoint.url.path }

    package func takeSettledAnswer() -> [UInt8]? {
        defer { settledAnswer = nil }
        return settledAnswer
    }

    package func advance(to time: Duration) -> Result<Void, TimelineError> {
        // Whatever happened since the last answer (a request, say) makes it stale.
        settledAnswer = nil
        if time == current { return .success(()) }
        let nanoseconds = Self.nanoseconds(time)
        let request = HTTPRequest(method: "POST", target: "\(path)?advance_to_ns=\(nanoseconds)")
        do {
            let response = try endpoint.client.send(request)
            guard (200..<300).contains(response.status) else {
                let text = String(decoding: response.body.prefix(300), as: UTF8.self)
                return .failure(TimelineError("advancing to \(nanoseconds) ns: status \(response.status): "
                    + text.trimmingWhitespace()))
            }
            settledAnswer = response.body
        } catch {
            return .failure(TimelineError("advancing to \(nanoseconds) ns: no answer: \(error)"))
        }
        current = time
        return .success(())
    }

    static func nanoseconds(_ time: Duration) -> Int64 {
        let (seconds, attoseconds) = time.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
