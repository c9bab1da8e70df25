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

    /// A 2xx response.
    package var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// Sends scenario requests to the target.
package protocol RequestSending: AnyObject {
    func send(path: String) -> RequestOutcome
}

/// Takes one sample of everything the harness watches.
package protocol SampleTaking: AnyObject {
    func takeSample() -> SampleRow
}
