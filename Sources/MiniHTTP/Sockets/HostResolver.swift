#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// Turns a host (a name, an IPv4 or an IPv6 address) into the addresses to connect to, with
/// `getaddrinfo`, so names resolve as every other program on the machine resolves them
/// (`/etc/hosts`, then DNS).
///
/// A lookup can wait on a DNS server, so callers resolve once, before timed work starts, and
/// keep the addresses.
package enum HostResolver {
    /// The TCP addresses of `host` on `port`, in the resolver's order of preference, without
    /// duplicates. `host` is written without brackets (`::1`).
    package static func resolve(host: String, port: UInt16) throws(ResolutionError) -> [NetworkAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let list else {
            // EAI_SYSTEM leaves the reason in errno; every other code has its own text.
            let reason = code == EAI_SYSTEM ? SystemError.current("getaddrinfo").message
                : String(cString: gai_strerror(code))
            throw ResolutionError(host: host, code: code, reason: reason)
        }
        defer { freeaddrinfo(list) }
        var addresses: [NetworkAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if let pointer = current.pointee.ai_addr,
                let address = NetworkAddress(pointer, length: current.pointee.ai_addrlen),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            throw ResolutionError(host: host, code: EAI_NONAME, reason: "no IPv4 or IPv6 address")
        }
        return addresses
    }
}

/// A host that did not resolve, with the resolver's reason.
package struct ResolutionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The host as given.
    package var host: String
    /// The `EAI_*` code `getaddrinfo` returned.
    package var code: Int32
    /// The resolver's text for it ("Name or service not known").
    package var reason: String

    /// `name not resolved: "myhost" (Name or service not known)`.
    package var description: String { "name not resolved: \"\(host)\" (\(reason))" }
}
