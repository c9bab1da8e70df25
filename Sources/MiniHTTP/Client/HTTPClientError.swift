/// Why an ``HTTPClient`` request produced no response.
import PosixSupport

package enum HTTPClientError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The request did not complete within the client's timeout. The connection was
    /// dropped, so the next request starts on a fresh one.
    case timedOut
    /// The server closed the connection before a complete response arrived.
    case connectionClosed
    /// The server's bytes are not a valid HTTP/1.x response; says what was wrong.
    case invalidResponse(String)
    /// The response head or body exceeded the configured cap.
    case responseTooLarge(limit: Int)
    /// A URL given to ``HTTPClient/get(url:timeout:headers:)`` could not be used.
    case invalidURL(String)
    /// A system call failed (connection refused, reset, no route).
    case system(SystemError)

    /// A message a person can act on.
    package var description: String {
        switch self {
        case .timedOut: "request timed out"
        case .connectionClosed: "server closed the connection before a complete response"
        case .invalidResponse(let reason): "invalid HTTP response: \(reason)"
        case .responseTooLarge(let limit): "response exceeds \(limit) bytes"
        case .invalidURL(let reason): "invalid URL: \(reason)"
        case .system(let error): error.description
        }
    }
}
