extension ProfileValidator {
    /// Header fields the client writes from the request itself; a profile's own copy could
    /// contradict the body it frames.
    static let headersSetByTheHarness = ["content-length", "transfer-encoding"]

    /// The method, headers, body and expected statuses of one request object.
    mutating func checkRequestFields(_ request: Profile.Request, _ path: String) {
        let method = request.method
        if !RequestToken.isToken(method) {
            report("\(path).method", "expected a method like \"POST\" (letters, no spaces), "
                + "found \(ProfileJSON.quoted(method))")
        } else if method != method.uppercased(), RequestToken.standardMethods.contains(method.uppercased()) {
            report("\(path).method", "expected \(ProfileJSON.quoted(method.uppercased())) (methods are "
                + "case-sensitive), found \(ProfileJSON.quoted(method))")
        }
        for header in request.headers {
            let field = "\(path).headers.\(header.name)"
            if !RequestToken.isToken(header.name) {
                report(field, "expected a header name of letters, digits and - (no spaces or colons), "
                    + "found \(ProfileJSON.quoted(header.name))")
            } else if Self.headersSetByTheHarness.contains(header.name.lowercased()) {
                report(field, "expected no \(header.name) header: the harness sets it from the body")
            }
            if header.value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                report(field, "expected a header value on one line, without control characters, "
                    + "found \(ProfileJSON.quoted(header.value))")
            }
        }
        if case .file(let file) = request.body, file.allSatisfy(\.isWhitespace) {
            report("\(path).bodyFile", "expected a file path like \"payload.json\" (relative to the profile's "
                + "folder), found an empty text")
        }
        if let expect = request.expect {
            if expect.isEmpty {
                report("\(path).expect", "expected at least one status like [200, 201] (leave expect out for "
                    + "any 2xx or 3xx), found an empty list")
            }
            for (index, status) in expect.enumerated() where !(100...599).contains(status) {
                report("\(path).expect[\(index)]", "expected an HTTP status from 100 to 599, found \(status)")
            }
        }
    }
}

/// The token grammar of HTTP (RFC 9110, section 5.6.2) for methods and header names.
enum RequestToken {
    static let standardMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
        "TRACE", "PATCH"]

    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`",
                "|", "~":
                true
            default:
                false
            }
        }
    }
}
