import Glibc

/// An `http://` URL as a profile writes one: a host (a name, an IPv4 address, or an IPv6 address
/// in brackets), an explicit port, and a path.
///
/// The validator parses every URL of a profile with it, so a URL the harness could not use is
/// refused before anything starts; the runner parses the same text (with `{port}` filled in) to
/// send requests, so both read a URL the same way.
package struct HTTPURL: Sendable, Equatable {
    /// The host without brackets: `127.0.0.1`, `::1`, `myhost`.
    package var host: String
    package var port: Int
    /// What follows the authority: `/api` for a base URL (without a trailing slash, empty for none),
    /// `/health?full=1` for an endpoint (`/` when none was written).
    package var path: String

    /// How the URL is used, which decides what it may hold.
    package enum Role: Sendable {
        /// A base URL that request paths are appended to: no query or fragment.
        case base
        /// A URL fetched as it is (readiness, stats): a query is allowed.
        case endpoint
    }

    /// `host:port`, with brackets around an IPv6 address, as the `Host` header and messages write it.
    package var authority: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The request target for `requestPath` below a base URL: `/api` and `/orders` give `/api/orders`.
    package func target(for requestPath: String) -> String {
        path + requestPath
    }

    /// Parses `text`, throwing a message that says what was expected and how to fix it. With
    /// `portPlaceholder`, a port written `{port}` (filled in when the run starts) reads as port 0.
    package static func parse(
        _ text: String, role: Role, portPlaceholder: Bool = false
    ) throws(HTTPURLError) -> HTTPURL {
        let found = ProfileJSON.quoted(text)
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw HTTPURLError("expected an http:// URL, found \(found): soak speaks plain HTTP only (TLS would "
                + "need packages beyond the Swift toolchain); point it at a plain-HTTP port of the target on this "
                + "machine, like \"http://127.0.0.1:{port}\"")
        }
        guard lowered.hasPrefix("http://") else {
            throw HTTPURLError("expected a URL like \"http://127.0.0.1:{port}\", found \(found)")
        }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if authority.contains("@") {
            throw HTTPURLError("expected no user name or password in the URL (send an Authorization header "
                + "with the request instead), found \(found)")
        }
        let (host, portText) = try splitAuthority(authority, found: found)
        guard let portText else {
            throw HTTPURLError("expected an explicit port, like \"http://\(bracketed(host)):{port}\", found \(found) "
                + "(without one, requests would go to port 80, which is rarely the target's; write :80 if it is)")
        }
        let placeholder = portPlaceholder && portText == "{port}"
        guard let port = placeholder ? 0 : Int(portText), placeholder || (1...65_535).contains(port) else {
            let shown = ProfileJSON.quoted(String(portText))
            throw HTTPURLError("expected a port from 1 to 65535 or {port}, found \(shown) in \(found)")
        }
        if path.contains("#") {
            throw HTTPURLError("expected no fragment (#...) in the URL, found \(found)")
        }
        if let bad = RequestPath.invalidCharacter(in: path) {
            throw HTTPURLError("expected a path without spaces, control characters or non-ASCII characters "
                + "(percent-encode them, like %20), found \(bad) in \(found)")
        }
        switch role {
        case .base:
            if path.contains("?") {
                throw HTTPURLError("expected a base URL without a query (put it in each request's path), "
                    + "found \(found)")
            }
            while path.hasSuffix("/") { path.removeLast() }
        case .endpoint:
            if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        }
        return HTTPURL(host: host, port: port, path: path)
    }

    /// Splits `host:port`, `[v6]:port` or a bare host, checking the host.
    private static func splitAuthority(
        _ authority: Substring, found: String
    ) throws(HTTPURLError) -> (host: String, port: Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPURLError("expected an IPv6 address in brackets like [::1], found \(found)")
            }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else {
                throw HTTPURLError("expected an IPv6 address in brackets like [::1], found "
                    + "\(ProfileJSON.quoted("[" + host + "]")) in \(found)")
            }
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else {
                throw HTTPURLError("expected \":PORT\" after the IPv6 address, found \(found)")
            }
            return (host, after.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 2 {
            throw HTTPURLError("expected an IPv6 address in brackets, like \"http://[::1]:{port}\", found \(found)")
        }
        let host = String(parts[0])
        guard !host.isEmpty else {
            throw HTTPURLError("expected a host after http:// (127.0.0.1, [::1] or a name), found \(found)")
        }
        guard host.unicodeScalars.allSatisfy(isHostCharacter), !host.hasPrefix("-"), !host.hasPrefix(".") else {
            throw HTTPURLError("expected a host name of letters, digits, \"-\" and \".\" or an address like "
                + "127.0.0.1, found \(ProfileJSON.quoted(host)) in \(found)")
        }
        return (host, parts.count == 2 ? parts[1] : nil)
    }

    private static func isHostCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_": true
        default: false
        }
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// Why a URL cannot be used; the message says what was expected and what was found.
package struct HTTPURLError: Error, CustomStringConvertible, Sendable {
    package var description: String

    init(_ description: String) { self.description = description }
}
