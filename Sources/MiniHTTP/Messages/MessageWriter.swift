/// Serialises request and response heads into a reusable byte buffer.
///
/// The head is built in one `[UInt8]` that the connection keeps between requests, so a
/// warm keep-alive connection allocates nothing here; small bodies are appended to the same
/// buffer so the whole message leaves in one send.
enum MessageWriter {
    /// Bodies up to this size are copied behind the head; larger ones are sent separately
    /// (with MSG_MORE on the head) because the copy would cost more than the extra syscall.
    static let inlineBodyLimit = 16 * 1024

    private static let crlf: [UInt8] = [13, 10]
    private static let colonSpace: [UInt8] = [58, 32]

    /// Writes a response head: status line, the handler's headers (minus the framing headers
    /// the server owns), Content-Length and Connection.
    static func writeHead(
        of response: HTTPResponse,
        keepAlive: Bool,
        requestVersion: HTTPVersion,
        into buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        buffer.append(contentsOf: String(response.status).utf8)
        buffer.append(32)
        buffer.append(contentsOf: response.reason.utf8)
        buffer.append(contentsOf: crlf)
        for field in response.headers {
            // The server decides framing and persistence; a handler's copy would contradict it.
            if HTTPHeaders.namesMatch(field.name, "Content-Length")
                || HTTPHeaders.namesMatch(field.name, "Transfer-Encoding")
                || HTTPHeaders.namesMatch(field.name, "Connection") {
                continue
            }
            appendField(field.name, field.value, into: &buffer)
        }
        if HTTPResponse.statusAllowsBody(response.status) {
            appendField("Content-Length", String(response.body.count), into: &buffer)
        }
        if !keepAlive {
            appendField("Connection", "close", into: &buffer)
        } else if requestVersion < .http1_1 {
            appendField("Connection", "keep-alive", into: &buffer)
        }
        buffer.append(contentsOf: crlf)
    }

    /// Writes a request head; adds Host and Content-Length when the caller did not.
    static func writeHead(of request: HTTPRequest, host: String, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: request.method.utf8)
        buffer.append(32)
        buffer.append(contentsOf: request.target.utf8)
        buffer.append(32)
        buffer.append(contentsOf: request.version.description.utf8)
        buffer.append(contentsOf: crlf)
        if !request.headers.contains("Host") { appendField("Host", host, into: &buffer) }
        for field in request.headers where !HTTPHeaders.namesMatch(field.name, "Content-Length") {
            appendField(field.name, field.value, into: &buffer)
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            appendField("Content-Length", String(request.body.count), into: &buffer)
        }
        buffer.append(contentsOf: crlf)
    }

    private static func appendField(_ name: String, _ value: String, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: colonSpace)
        buffer.append(contentsOf: value.utf8)
        buffer.append(contentsOf: crlf)
    }
}
