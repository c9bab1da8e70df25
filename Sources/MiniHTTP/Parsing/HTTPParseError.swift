/// Why a request was refused while parsing: the status to answer with and a message a
/// person can act on ("header section exceeds 16384 bytes").
package struct HTTPParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The status code to send back (400, 413, 431, 501, 505).
    package var status: Int
    /// What was wrong with the request.
    package var message: String

    /// Creates an error answered with `status`.
    package init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// "431 Request Header Fields Too Large: header section exceeds 16384 bytes".
    package var description: String {
        "\(status) \(HTTPResponse.reasonPhrase(for: status)): \(message)"
    }

    /// The plain-text response the server sends before closing the connection.
    package var response: HTTPResponse {
        HTTPResponse(status: status, text: message + "\n")
    }

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: 400, message: message)
    }
}
