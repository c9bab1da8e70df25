#if canImport(Glibc)
import Glibc
import PosixSupport
#endif

/// Bytes received from a socket and not yet consumed by a parser.
///
/// Reads go straight into spare capacity (no scratch copy), consuming a message only moves
/// `readerIndex` (pipelined bytes behind it stay put), and the unread tail is moved to the
/// front only when more room is needed. A buffer that grew for a large body shrinks back once
/// drained, so a connection that once received 1 MiB does not hold 1 MiB for its lifetime.
struct InputBuffer: Sendable {
    private var storage: [UInt8]
    private(set) var readerIndex = 0
    private(set) var writerIndex = 0
    private let initialCapacity: Int

    init(initialCapacity: Int = 4096) {
        self.initialCapacity = initialCapacity
        storage = Array(repeating: 0, count: initialCapacity)
    }

    /// Bytes received and not yet consumed.
    var readableCount: Int { writerIndex - readerIndex }

    /// Copies `bytes` in behind the unread ones.
    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        reserveWritable(bytes.count)
        storage.withUnsafeMutableBufferPointer { storage in
            _ = UnsafeMutableBufferPointer(rebasing: storage[writerIndex...]).initialize(fromContentsOf: bytes)
        }
        writerIndex += bytes.count
    }

    /// Reads once from `socket` into spare capacity (at least `atLeast` bytes of room).
    ///
    /// Returns the bytes read; 0 means the peer closed.
    mutating func receive(
        from socket: ConnectedSocket,
        atLeast minimumRoom: Int,
        deadline: ContinuousClock.Instant?,
        pollFirst: Bool = false
    ) throws(SystemError) -> Int {
        reserveWritable(max(minimumRoom, 2048))
        let start = writerIndex
        // Array's closures rethrow untyped errors; carry the typed one out in a Result.
        let outcome = storage.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) -> Int in
                let room = UnsafeMutableRawBufferPointer(rebasing: raw[start...])
                return try socket.receive(into: room, deadline: deadline, pollFirst: pollFirst)
            }
        }
        let received = try outcome.get()
        writerIndex += received
        return received
    }

    /// Reads once from `socket` without waiting, for an event loop: nil when nothing has arrived,
    /// 0 when the peer closed, else the bytes read.
    mutating func receiveAvailable(from socket: ConnectedSocket, atLeast minimumRoom: Int) throws(SystemError) -> Int? {
        reserveWritable(max(minimumRoom, 2048))
        let start = writerIndex
        let outcome = storage.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) -> Int? in
                try socket.receiveAvailable(into: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
            }
        }
        let received = try outcome.get()
        writerIndex += received ?? 0
        return received
    }

    /// Calls `body` with the unread bytes.
    func withReadableBytes<Value, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let outcome = storage.withUnsafeBufferPointer { all in
            Result { () throws(Failure) -> Value in
                try body(UnsafeBufferPointer(rebasing: all[readerIndex..<writerIndex]))
            }
        }
        return try outcome.get()
    }

    /// Copies the next `count` unread bytes out (as a body) without consuming them.
    func copyBytes(count: Int) -> [UInt8] {
        Array(storage[readerIndex..<(readerIndex + count)])
    }

    /// Marks `count` bytes as consumed; resets (and shrinks an oversized buffer) when drained.
    mutating func consume(_ count: Int) {
        readerIndex += count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
            if storage.count > 16 * initialCapacity {
                storage = Array(repeating: 0, count: initialCapacity)
            }
        }
    }

    /// Drops everything unread.
    mutating func removeAll() {
        consume(readableCount)
    }

    private mutating func reserveWritable(_ minimum: Int) {
        if storage.count - writerIndex >= minimum { return }
        let unread = readableCount
        if readerIndex > 0 {
            let from = readerIndex
            storage.withUnsafeMutableBytes { raw in
                // Overlapping regions are possible, hence memmove.
                _ = memmove(raw.baseAddress!, raw.baseAddress! + from, unread)
            }
            readerIndex = 0
            writerIndex = unread
            if storage.count - writerIndex >= minimum { return }
        }
        let grown = max(storage.count * 2, unread + minimum)
        storage.append(contentsOf: repeatElement(0, count: grown - storage.count))
    }
}
