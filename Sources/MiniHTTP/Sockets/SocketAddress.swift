#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// An IPv4 address and port, parsed from and printed as "127.0.0.1:8080".
///
/// IPv4 only: tenantd and the harness talk over loopback, and leaving out name resolution
/// keeps a DNS lookup from ever stalling a soak run. "localhost" is the one name accepted.
package struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IPv4 address in network byte order, as `in_addr.s_addr` holds it.
    package var networkAddress: UInt32
    /// The TCP port in host byte order; 0 asks the kernel for a free port when binding.
    package var port: UInt16

    /// Why an address string was refused, phrased for the person who typed it.
    package struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        /// The text that failed to parse.
        package var input: String
        /// What was wrong with it.
        package var reason: String

        /// "bad address "x:1": expected HOST:PORT like 127.0.0.1:8080 (...)".
        package var description: String {
            "bad address \"\(input)\": \(reason)"
        }
    }

    /// 127.0.0.1 on `port` (0 by default: any free port).
    package static func loopback(port: UInt16 = 0) -> SocketAddress {
        SocketAddress(networkAddress: UInt32(0x7F00_0001).bigEndian, port: port)
    }

    /// Wraps an address already in network byte order.
    package init(networkAddress: UInt32, port: UInt16) {
        self.networkAddress = networkAddress
        self.port = port
    }

    /// Parses a dotted-quad host (or "localhost") and a port.
    package init(host: String, port: UInt16) throws(ParseError) {
        if host == "localhost" {
            self = .loopback(port: port)
            return
        }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw ParseError(input: host, reason: "expected an IPv4 address like 127.0.0.1 or \"localhost\"")
        }
        self.init(networkAddress: address.s_addr, port: port)
    }

    /// Parses "HOST:PORT", for example "127.0.0.1:8080" or "localhost:0".
    package init(parsing text: String) throws(ParseError) {
        let expected = "expected HOST:PORT like 127.0.0.1:8080"
        guard let colon = text.lastIndex(of: ":") else {
            throw ParseError(input: text, reason: expected)
        }
        let host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard !host.isEmpty, let port = UInt16(portText) else {
            throw ParseError(input: text, reason: "\(expected) (port 0-65535)")
        }
        do {
            try self.init(host: host, port: port)
        } catch {
            throw ParseError(input: text, reason: error.reason)
        }
    }

    /// Builds the address from a kernel `sockaddr_in` (from getsockname or accept).
    package init(_ address: sockaddr_in) {
        self.init(networkAddress: address.sin_addr.s_addr, port: UInt16(bigEndian: address.sin_port))
    }

    /// The dotted-quad host part, "127.0.0.1".
    package var host: String {
        let bytes = withUnsafeBytes(of: networkAddress) { Array($0) }
        return "\(bytes[0]).\(bytes[1]).\(bytes[2]).\(bytes[3])"
    }

    /// "127.0.0.1:8080".
    package var description: String { "\(host):\(port)" }

    /// The kernel's representation, for bind and connect.
    package var sockaddr: sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: networkAddress)
        return address
    }

    /// Calls `body` with this address as a generic `sockaddr` pointer and its length.
    func withSockAddr<Value>(
        _ body: (UnsafePointer<Glibc.sockaddr>, socklen_t) throws(SystemError) -> Value
    ) throws(SystemError) -> Value {
        var address = sockaddr
        return try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { (generic) throws(SystemError) in
                try body(generic, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// The local address a socket is bound to (resolves port 0 to the real port).
    static func local(of descriptor: FileDescriptor) throws(SystemError) -> SocketAddress {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = try withUnsafeMutablePointer(to: &address) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { (generic) throws(SystemError) in
                try SystemCall.retrying("getsockname") { getsockname(descriptor.rawValue, generic, &length) }
            }
        }
        return SocketAddress(address)
    }
}
