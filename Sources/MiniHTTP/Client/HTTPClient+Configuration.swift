extension HTTPClient {
    /// Timeout and size caps.
    package struct Configuration: Sendable, Equatable {
        /// Wall time allowed for one request, from connect to the last body byte.
        package var timeout: Duration
        /// The largest response body accepted.
        package var maxResponseBytes: Int
        /// The largest response head accepted.
        package var maxHeaderBytes: Int

        /// Defaults: 10 s per request, 64 MiB body, 64 KiB head.
        package init(
            timeout: Duration = .seconds(10),
            maxResponseBytes: Int = 64 << 20,
            maxHeaderBytes: Int = 64 << 10
        ) {
            self.timeout = timeout
            self.maxResponseBytes = maxResponseBytes
            self.maxHeaderBytes = maxHeaderBytes
        }
    }
}
