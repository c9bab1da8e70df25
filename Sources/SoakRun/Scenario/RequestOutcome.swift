import SoakAnalysis
import SoakProfiles

/// What one scenario request found.
package struct RequestOutcome: Sendable, Equatable {
    /// The HTTP status; nil when no response came (timeout, refused, reset).
    package var status: Int?
    /// Why no usable response came.
    package var failure: String?
    /// Wall-clock milliseconds from send to the end of the response.
    package var latencyMilliseconds: Double
    /// `X-Tenant-Was`: `loaded` or `unloaded`.
    package var tenantWas: String?
    /// `X-Artifact-Was`: `ghost` or `actual`.
    package var artifactWas: String?
    /// `X-Expired-On-Arrival`: what the request found past its idle deadline but not yet swept
    /// (`tenant`, `artifact`), so the target expired it on the spot; nil when the sweep was on time.
    package var expiredOnArrival: String?
    /// The request target as sent, when it differs from the profile's path (a base URL's path
    /// prefix put before it), so a 404 names the path the server saw.
    package var target: String?

    package init(
        status: Int?, failure: String? = nil, latencyMilliseconds: Double, tenantWas: String? = nil,
        artifactWas: String? = nil
    ) {
        self.status = status
        self.failure = failure
        self.latencyMilliseconds = latencyMilliseconds
        self.tenantWas = tenantWas
        self.artifactWas = artifactWas
    }

}

/// Why a request broke its cycle's integrity.
package struct RequestProblem: Sendable, Equatable {
    /// What went wrong, which decides what can fix it.
    package enum Kind: String, Sendable, Codable {
        /// No response, or a status the request does not expect: the target or the profile is
        /// wrong, and no clock scale fixes it.
        case request
        /// A response as expected, from a target not in the state the scenario expects (the
        /// artifact was no ghost): a timing matter, which a lower `--accelerate` may fix.
        case state
    }

    package var kind: Kind
    /// `status 404, expected 2xx or 3xx`; `expected the artifact to be a ghost again, found actual`.
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Sends scenario requests to the target.
package protocol RequestSending: AnyObject {
    func send(_ request: Profile.Request) -> RequestOutcome
    /// Sends `request` with the advance of `timeline` to `time` right behind it on one
    /// connection; nil when the two cannot share one, and nothing was sent.
    func send(
        _ request: Profile.Request, thenAdvance timeline: any VirtualTimeline, to time: Duration
    ) -> (RequestOutcome, Result<Void, TimelineError>)?
}

extension RequestSending {
    package func send(
        _ request: Profile.Request, thenAdvance timeline: any VirtualTimeline, to time: Duration
    ) -> (RequestOutcome, Result<Void, TimelineError>)? { nil }
}

/// Takes one sample of everything the harness watches.
package protocol SampleTaking: AnyObject {
    func takeSample() -> SampleRow
    /// Takes a sample of `kind`; a sampler may do more before a trough (a full GC in a JVM).
    func takeSample(kind: SampleKind) -> SampleRow
}

extension SampleTaking {
    package func takeSample(kind: SampleKind) -> SampleRow { takeSample() }
}
