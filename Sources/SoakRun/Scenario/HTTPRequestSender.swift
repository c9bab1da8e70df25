import Glibc
import MiniHTTP
import PosixSupport
import SoakProfiles
import SoakUnits

/// Sends scenario requests below a base URL over one keep-alive connection, each bounded by a
/// wall-clock timeout. A timeout or a reset is recorded as a failed request; the next request
/// reconnects.
///
/// A base URL it cannot use (one that does not parse, a name that does not resolve) does not stop
/// the run: every request fails with that reason, so the run is judged invalid and says why,
/// rather than passing on samples of a target that never saw a request.
package final class HTTPRequestSender: RequestSending {
    private let base: HTTPURL?
    private let client: HTTPClient?
    /// Why no request can be sent; nil when the base URL is usable.
    private let unusable: String?
    /// The bytes of each `bodyFile`, by the name the profile gives, read before the run.
    private let bodyFiles: [String: [UInt8]]
    private let timeout: Duration

    /// A sender for requests below `baseURL` (`{port}` already filled in). The host is resolved
    /// here, once, so a slow DNS answer never stretches a timed request.
    package init(baseURL: String?, timeout: Duration, bodyFiles: [String: [UInt8]] = [:]) {
        self.timeout = timeout
        self.bodyFiles = bodyFiles
        let resolved = baseURL.map { TargetEndpoint.resolve($0, role: .base, timeout: timeout) }
            ?? .failure(SupervisorError("no base URL to send requests to (set target.command.baseURL)"))
        switch resolved {
        case .success(let endpoint):
            base = endpoint.url
            client = endpoint.client
            unusable = nil
        case .failure(let reason):
            base = nil
            client = nil
            unusable = reason.description
        }
    }

    deinit { client?.close() }

    package func send(_ request: Profile.Request) -> RequestOutcome {
        guard let base, let client else {
            return RequestOutcome(status: nil, failure: unusable ?? "no base URL", latencyMilliseconds: 0)
        }
        let message = message(for: request, below: base)
        let started = MonotonicClock.now
        let answer = Result { try client.send(message) }
        return outcome(of: answer, for: request, sent: message, at: base, started: started)
    }

    /// Sends `request` with the advance of `timeline` to `time` right behind it on the timeline's
    /// connection, when the clock is served at the base URL's address (tenantd's is); nil when
    /// it is not, for the caller to send them one after the other.
    package func send(
        _ request: Profile.Request, thenAdvance timeline: any VirtualTimeline, to time: Duration
    ) -> (RequestOutcome, Result<Void, TimelineError>)? {
        guard let base, client != nil else { return nil }
        let message = message(for: request, below: base)
        let started = MonotonicClock.now
        guard let (answer, advanced) = timeline.advance(to: time, after: message, at: base.authority) else { return nil }
        return (outcome(of: answer.mapError { $0 }, for: request, sent: message, at: base, started: started), advanced)
    }

    private func message(for request: Profile.Request, below base: HTTPURL) -> HTTPRequest {
        var message = HTTPRequest(method: request.method, target: base.target(for: request.path),
                                  headers: HTTPHeaders(request.headers.map { ($0.name, $0.value) }))
        switch request.body {
        case .text(let text): message.body = Array(text.utf8)
        case .file(let file): message.body = bodyFiles[file] ?? []
        case nil: break
        }
        return message
    }

    private func outcome(
        of answer: Result<HTTPResponse, any Error>, for request: Profile.Request, sent message: HTTPRequest,
        at base: HTTPURL, started: Duration
    ) -> RequestOutcome {
        let latency = (MonotonicClock.now - started).secondsValue * 1000
        var outcome: RequestOutcome
        switch answer {
        case .success(let response):
            outcome = RequestOutcome(
                status: response.status, latencyMilliseconds: latency,
                tenantWas: response.headers["X-Tenant-Was"], artifactWas: response.headers["X-Artifact-Was"])
            outcome.expiredOnArrival = response.headers["X-Expired-On-Arrival"]
        case .failure(let error):
            outcome = RequestOutcome(
                status: nil, failure: Self.describe(error, at: base, timeout: timeout), latencyMilliseconds: latency)
        }
        if message.target != request.path { outcome.target = message.target }
        return outcome
    }

    /// Why a request got no response, in the words a person checking the target would use.
    static func describe(_ error: any Error, at base: HTTPURL, timeout: Duration) -> String {
        guard let error = error as? HTTPClientError else { return "\(error)" }
        switch error {
        case .system(let system) where system.errno == ECONNREFUSED:
            return "connection refused: nothing listens at \(base.authority)"
        case .timedOut:
            return "no response within \(DurationText.format(timeout)) (scenario.requestTimeout)"
        default:
            return error.description
        }
    }
}

/// A URL of the target made ready to use: parsed by the profile's rules and its host resolved,
/// once, with a keep-alive client to it.
package struct TargetEndpoint: Sendable {
    package var url: HTTPURL
    package var client: HTTPClient

    /// Parses and resolves `text`; the failure says what is wrong with it.
    package static func resolve(
        _ text: String, role: HTTPURL.Role, timeout: Duration
    ) -> Result<TargetEndpoint, SupervisorError> {
        let url: HTTPURL
        do {
            url = try HTTPURL.parse(text, role: role)
        } catch {
            return .failure(SupervisorError("cannot use \(text): \(error)"))
        }
        do {
            let addresses = try HostResolver.resolve(host: url.host, port: UInt16(url.port))
            let client = HTTPClient(addresses: addresses, host: url.authority, configuration: .init(timeout: timeout))
            return .success(TargetEndpoint(url: url, client: client))
        } catch {
            return .failure(SupervisorError(error.description))
        }
    }

    /// Fetches the URL itself (an endpoint's path and query).
    package func get() throws -> HTTPResponse {
        try client.get(url.path)
    }
}
