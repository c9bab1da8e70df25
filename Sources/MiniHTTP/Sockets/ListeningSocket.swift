#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// A bound, listening TCP socket (non-blocking, close-on-exec, SO_REUSEADDR).
///
/// Non-blocking so the accept loop can drain the backlog after one poll and never block in
/// accept when another thread or a reset connection took the pending entry.
package struct ListeningSocket: Sendable {
    /// The underlying descriptor; owned by this socket until ``close()``.
    package let descriptor: FileDescriptor
    /// The bound address, with port 0 resolved to the port the kernel chose.
    package let localAddress: SocketAddress

    /// Creates a socket, binds it to `address` and starts listening.
    package static func bind(to address: SocketAddress, backlog: Int32 = 512) throws(SystemError) -> ListeningSocket {
        let socketType = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
        let raw = try SystemCall.retrying("socket") { socket(AF_INET, socketType, 0) }
        let descriptor = FileDescriptor(rawValue: raw)
        do {
            // Lets a restarted tenantd rebind its port while old connections sit in TIME_WAIT.
            try descriptor.setOption(SOL_SOCKET, SO_REUSEADDR, 1, name: "SO_REUSEADDR")
            _ = try address.withSockAddr { (pointer, length) throws(SystemError) in
                try SystemCall.retrying("bind \(address)") { Glibc.bind(raw, pointer, length) }
            }
            try SystemCall.retrying("listen \(address)") { listen(raw, backlog) }
            let bound = try SocketAddress.local(of: descriptor)
            return ListeningSocket(descriptor: descriptor, localAddress: bound)
        } catch {
            try? descriptor.close()
            throw error
        }
    }

    /// Accepts one pending connection, or returns nil when none is waiting.
    ///
    /// The accepted socket is non-blocking, close-on-exec and has TCP_NODELAY set, because
    /// request/response traffic with small writes otherwise waits on Nagle's algorithm.
    ///
    /// Swift's Glibc module does not export `accept4`, so close-on-exec is set right after
    /// accept: a fork+exec on another thread in that instant could inherit the socket. The
    /// server side lives in tenantd, which never spawns processes, so the window is harmless.
    package func accept() throws(SystemError) -> ConnectedSocket? {
        let raw: Int32
        do {
            raw = try SystemCall.retrying("accept") { Glibc.accept(descriptor.rawValue, nil, nil) }
        } catch where error.wouldBlock {
            return nil
        }
        let accepted = FileDescriptor(rawValue: raw)
        do {
            try accepted.setCloseOnExec()
            try accepted.setNonBlocking()
        } catch {
            try? accepted.close()
            throw error
        }
        let socket = ConnectedSocket(descriptor: accepted)
        // A peer that already reset makes this fail; the first read will report it properly.
        try? socket.descriptor.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, name: "TCP_NODELAY")
        return socket
    }

    /// Closes the listening descriptor; pending connections in the backlog are reset.
    package func close() throws(SystemError) {
        try descriptor.close()
    }
}

extension FileDescriptor {
    /// Sets FD_CLOEXEC so a spawned child does not inherit the descriptor.
    package func setCloseOnExec() throws(SystemError) {
        let flags = try SystemCall.retrying("fcntl F_GETFD") { fcntl(rawValue, F_GETFD) }
        try SystemCall.retrying("fcntl F_SETFD") { fcntl(rawValue, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// Sets an integer socket option (setsockopt).
    package func setOption(_ level: Int32, _ option: Int32, _ value: Int32, name: String) throws(SystemError) {
        var value = value
        try SystemCall.retrying("setsockopt \(name)") {
            setsockopt(rawValue, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
