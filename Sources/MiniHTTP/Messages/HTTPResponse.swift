/// An HTTP response: what a handler returns and what the client receives.
package struct HTTPResponse: Sendable, Equatable {
    /// The status code (200, 404, 503).
    package var status: Int
    /// The reason phrase sent after the status code ("OK").
    package var reason: String
    /// The header fields. The server adds Content-Length and Connection itself.
    package var headers: HTTPHeaders
    /// The body bytes.
    package var body: [UInt8]

    /// Creates a response; `reason` defaults to the standard phrase for `status`.
    package init(status: Int = 200, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? Self.reasonPhrase(for: status)
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    package init(status: Int = 200, text: String, headers: HTTPHeaders = HTTPHeaders()) {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add(name: "Content-Type", value: "text/plain; charset=utf-8") }
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// An `application/json` response from already-encoded bytes.
    ///
    /// Takes bytes rather than an Encodable so this module stays free of Foundation.
    package init(status: Int = 200, json: [UInt8], headers: HTTPHeaders = HTTPHeaders()) {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add(name: "Content-Type", value: "application/json") }
        self.init(status: status, headers: headers, body: json)
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD).
    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether a response with this status may carry a body (1xx, 204 and 304 never do).
    package static func statusAllowsBody(_ status: Int) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }

    /// The standard reason phrase for `status`, or "Status N" for codes without one here.
    package static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
