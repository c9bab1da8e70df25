/// What one scenario request found.
public struct RequestOutcome: Sendable, Equatable {
    /// The HTTP status; nil when no response came (timeout, refused, reset).
    public var status: Int?
    /// Why no usable response came.
    public var failure: String?
    /// Wall-clock milliseconds from send to the end of the response.
    public var latencyMilliseconds: Double
    /// `X-Tenant-Was`: `loaded` or `unloaded`.
    public var tenantWas: String?
    /// `X-Artifact-Was`: `ghost` or `actual`.
    public var artifactWas: String?

    public init(
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
    public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// Sends scenario requests to the target.
public protocol RequestSending: AnyObject {
    func send(path: String) -> RequestOutcome
}

/// Takes one sample of everything the harness watches.
public protocol SampleTaking: AnyObject {
    func takeSample() -> SampleRow
}
