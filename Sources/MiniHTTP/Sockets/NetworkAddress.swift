#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// An IPv4 or IPv6 address and port to connect to, as the resolver returns them.
///
/// ``SocketAddress`` stays IPv4 for the server, which listens on loopback; a client that soaks
/// somebody else's server must also reach `[::1]` and whatever a host name resolves to.
package struct NetworkAddress: Hashable, Sendable, CustomStringConvertible {
    /// `AF_INET` or `AF_INET6`.
    package let family: Int32
    /// The kernel's `sockaddr_in` or `sockaddr_in6`, byte for byte.
    private let bytes: [UInt8]

    /// The IPv4 address `address`.
    package init(_ address: SocketAddress) {
        let kernel = address.sockaddr
        family = AF_INET
        bytes = withUnsafeBytes(of: kernel) { Array($0) }
    }

    /// Copies an address the kernel or the resolver handed out; nil for families other than IPv4
    /// and IPv6.
    package init?(_ pointer: UnsafePointer<sockaddr>, length: socklen_t) {
        let family = Int32(pointer.pointee.sa_family)
        let expected = family == AF_INET ? MemoryLayout<sockaddr_in>.size
            : family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : 0
        guard expected > 0, Int(length) >= expected else { return nil }
        self.family = family
        bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: expected))
    }

    /// The TCP port in host byte order.
    package var port: UInt16 {
        // sin_port and sin6_port sit at the same offset, just after the family.
        bytes.withUnsafeBytes { UInt16(bigEndian: $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self)) }
    }

    /// The address as text: `127.0.0.1` or `::1`.
    package var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { raw in
            let offset = family == AF_INET ? MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
                : MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            _ = inet_ntop(family, raw.baseAddress! + offset, &text, socklen_t(text.count))
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    package var description: String {
        family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with this address as a generic `sockaddr` pointer and its length.
    func withSockAddr<Value>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Value
    ) throws(SystemError) -> Value {
        var storage = sockaddr_storage()
        let length = bytes.count
        withUnsafeMutableBytes(of: &storage) { target in
            bytes.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        return try withUnsafePointer(to: &storage) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (generic) throws(SystemError) in
                try body(generic, socklen_t(length))
            }
        }
    }
}
