#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// A connected, non-blocking TCP socket whose reads and writes wait with poll up to a deadline.
///
/// Writes try the syscall first and poll only on EAGAIN (the send buffer is rarely full);
/// reads let the caller choose, since whether data is already waiting depends on the protocol.
/// A passed deadline is reported as a ``SystemError`` with `ETIMEDOUT` (see
/// ``SystemError/isTimeout``). Not synchronised: one thread uses a socket at a time.
package struct ConnectedSocket: Sendable {
    /// The underlying descriptor; owned by this socket until ``close()``.
    package let descriptor: FileDescriptor

    /// Wraps a connected, non-blocking descriptor.
    package init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    /// Connects to `address`, waiting no later than `deadline`.
    package static func connect(
        to address: SocketAddress,
        deadline: ContinuousClock.Instant? = nil
    ) throws(SystemError) -> ConnectedSocket {
        try connect(to: NetworkAddress(address), deadline: deadline)
    }

    /// Connects to an IPv4 or IPv6 `address`, waiting no later than `deadline`.
    package static func connect(
        to address: NetworkAddress,
        deadline: ContinuousClock.Instant? = nil
    ) throws(SystemError) -> ConnectedSocket {
        let socketType = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
        let raw = try SystemCall.retrying("socket") { Glibc.socket(address.family, socketType, 0) }
        let connected = ConnectedSocket(descriptor: FileDescriptor(rawValue: raw))
        do throws(SystemError) {
            try address.withSockAddr { (pointer, length) throws(SystemError) in
                do throws(SystemError) {
                    // `once`: after EINTR the connect continues in the background, like EINPROGRESS.
                    try SystemCall.once("connect \(address)") { Glibc.connect(raw, pointer, length) }
                } catch where error.errno == EINPROGRESS || error.errno == EINTR {
                    try connected.descriptor.wait(for: Int16(POLLOUT), until: deadline)
                    var pending: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    try SystemCall.retrying("getsockopt SO_ERROR") {
                        getsockopt(raw, SOL_SOCKET, SO_ERROR, &pending, &size)
                    }
                    if pending != 0 { throw SystemError(operation: "connect \(address)", errno: pending) }
                }
            }
            try connected.descriptor.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, name: "TCP_NODELAY")
            return connected
        } catch {
            try? connected.close()
            throw error
        }
    }

    /// Reads what is available into `buffer`, waiting up to `deadline` for the first byte.
    ///
    /// Returns the number of bytes read; 0 means the peer closed its side. `pollFirst` suits
    /// request/response traffic, where the reply is rarely there yet and trying recv first
    /// would cost an extra failed syscall; pass false when data is likely already waiting.
    package func receive(
        into buffer: UnsafeMutableRawBufferPointer,
        deadline: ContinuousClock.Instant?,
        pollFirst: Bool = false
    ) throws(SystemError) -> Int {
        if pollFirst { try descriptor.wait(for: Int16(POLLIN), until: deadline) }
        while true {
            do {
                return try SystemCall.retrying("recv") {
                    recv(descriptor.rawValue, buffer.baseAddress, buffer.count, 0)
                }
            } catch where error.wouldBlock {
                try descriptor.wait(for: Int16(POLLIN), until: deadline)
            }
        }
    }

    /// One recv without waiting, for an event loop: nil when nothing has arrived (EAGAIN), 0 when
    /// the peer closed its side.
    package func receiveAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        do {
            return try SystemCall.retrying("recv") { recv(descriptor.rawValue, buffer.baseAddress, buffer.count, 0) }
        } catch where error.wouldBlock {
            return nil
        }
    }

    /// One send without waiting, for an event loop: how many bytes the kernel took, 0 when its
    /// buffer is full. MSG_NOSIGNAL, as in ``send(_:deadline:moreToCome:)-(UnsafeRawBufferPointer,_,_)``.
    package func sendAvailable(_ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        do {
            return try SystemCall.retrying("send") {
                Glibc.send(descriptor.rawValue, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            }
        } catch where error.wouldBlock {
            return 0
        }
    }

    /// Sends every byte of `bytes`, waiting up to `deadline` whenever the send buffer is full.
    ///
    /// `moreToCome` sets MSG_MORE so a header and a following body leave in one segment.
    /// PosixSupport's `sendAll` adds MSG_NOSIGNAL, which turns a write to a closed peer into EPIPE
    /// instead of killing the process.
    package func send(
        _ bytes: UnsafeRawBufferPointer,
        deadline: ContinuousClock.Instant?,
        moreToCome: Bool = false
    ) throws(SystemError) {
        try descriptor.sendAll(bytes, flags: moreToCome ? Int32(MSG_MORE) : 0, until: deadline)
    }

    /// Sends every byte of `bytes`; see ``send(_:deadline:moreToCome:)-(UnsafeRawBufferPointer,_,_)``.
    package func send(
        _ bytes: [UInt8],
        deadline: ContinuousClock.Instant?,
        moreToCome: Bool = false
    ) throws(SystemError) {
        let outcome = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try send(buffer, deadline: deadline, moreToCome: moreToCome) }
        }
        try outcome.get()
    }

    /// Shuts down both directions without releasing the descriptor.
    ///
    /// Safe to call from another thread while the owner is blocked in poll: it wakes the
    /// owner (its next read returns 0), unlike `close`, which could let the number be reused
    /// under the owner's feet.
    package func shutdownBothDirections() {
        _ = Glibc.shutdown(descriptor.rawValue, Int32(SHUT_RDWR))
    }

    /// Half-closes the sending side so the peer reads end-of-stream after our last bytes.
    package func shutdownSending() {
        _ = Glibc.shutdown(descriptor.rawValue, Int32(SHUT_WR))
    }

    /// Closes the socket.
    package func close() throws(SystemError) {
        try descriptor.close()
    }
}
