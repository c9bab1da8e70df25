#if canImport(Glibc)
import Glibc
#endif
import CSystemShim

/// An epoll instance, for an event loop that watches many descriptors from one thread.
///
/// Each watched descriptor carries a 64-bit token the caller chooses (a connection number, say),
/// handed back with its events. Level-triggered: a descriptor still readable after a partial
/// read is reported again, so the loop may read a bounded amount per turn without losing bytes.
/// Owned by the loop's thread; ``Doorbell`` is how other threads reach it.
package struct EventPoll: ~Copyable {
    /// What a descriptor is ready for (the EPOLL* bits).
    package struct Events: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        package static let readable = Events(rawValue: UInt32(LAZYSOAK_EPOLL_IN))
        package static let writable = Events(rawValue: UInt32(LAZYSOAK_EPOLL_OUT))
        /// An error on the descriptor; always reported, never asked for.
        package static let error = Events(rawValue: UInt32(LAZYSOAK_EPOLL_ERR))
        /// Hang-up; always reported, never asked for.
        package static let hangUp = Events(rawValue: UInt32(LAZYSOAK_EPOLL_HUP))
    }

    /// One ready descriptor: the token it was added with and what it is ready for.
    package struct Ready {
        package var token: UInt64
        package var events: Events
    }

    private let descriptor: FileDescriptor
    private var events: [UInt32]
    private var tokens: [UInt64]

    /// Creates the instance; `capacity` bounds how many ready descriptors one ``wait`` returns.
    package init(capacity: Int = 256) throws(SystemError) {
        descriptor = FileDescriptor(rawValue: try SystemCall.retrying("epoll_create1") { lazysoak_epoll_create() })
        events = [UInt32](repeating: 0, count: min(capacity, 256))
        tokens = [UInt64](repeating: 0, count: min(capacity, 256))
    }

    deinit { try? descriptor.close() }

    /// Starts watching `fd` for `interest`.
    package func add(_ fd: Int32, token: UInt64, interest: Events) throws(SystemError) {
        try control(Int32(LAZYSOAK_EPOLL_ADD), fd, token: token, interest: interest, name: "add")
    }

    /// Changes what `fd` is watched for.
    package func modify(_ fd: Int32, token: UInt64, interest: Events) throws(SystemError) {
        try control(Int32(LAZYSOAK_EPOLL_MOD), fd, token: token, interest: interest, name: "mod")
    }

    /// Accepts a connection from listening socket `fd`, non-blocking and close-on-exec in the one
    /// accept4 call; nil when none is waiting.
    package static func accept(from fd: Int32) throws(SystemError) -> FileDescriptor? {
        do {
            return FileDescriptor(rawValue: try SystemCall.retrying("accept") { lazysoak_accept_nonblocking(fd) })
        } catch where error.wouldBlock {
            return nil
        }
    }

    /// Stops watching `fd` (closing it does too, but only once no other descriptor shares its file).
    package func remove(_ fd: Int32) {
        _ = try? control(Int32(LAZYSOAK_EPOLL_DEL), fd, token: 0, interest: [], name: "del")
    }

    /// Waits until a descriptor is ready or `timeoutMilliseconds` pass (-1: no limit); returns how
    /// many are, each read with ``ready(at:)`` until the next wait. A signal's EINTR returns 0, so
    /// the caller recomputes its timeout. (Not a callback: the caller changes the poll while it
    /// goes through what is ready.)
    package mutating func wait(timeoutMilliseconds: Int32) throws(SystemError) -> Int {
        let capacity = Int32(events.count)
        let epoll = descriptor.rawValue
        // Array's closures rethrow untyped errors; carry the typed one out in a Result.
        let outcome = events.withUnsafeMutableBufferPointer { events in
            tokens.withUnsafeMutableBufferPointer { tokens in
                Result { () throws(SystemError) -> Int32 in
                    try SystemCall.once("epoll_wait") {
                        lazysoak_epoll_wait(epoll, events.baseAddress, tokens.baseAddress, capacity, timeoutMilliseconds)
                    }
                }
            }
        }
        do {
            return Int(try outcome.get())
        } catch where error.errno == EINTR {
            return 0
        }
    }

    /// Ready descriptor `index` of the last ``wait(timeoutMilliseconds:)``.
    package func ready(at index: Int) -> Ready {
        Ready(token: tokens[index], events: Events(rawValue: events[index]))
    }

    private func control(_ operation: Int32, _ fd: Int32, token: UInt64, interest: Events, name: String)
        throws(SystemError)
    {
        try SystemCall.retrying("epoll_ctl \(name) \(fd)") {
            lazysoak_epoll_control(descriptor.rawValue, operation, fd, interest.rawValue, token)
        }
    }
}

/// An eventfd another thread rings to wake an ``EventPoll`` loop that watches ``descriptor``.
package final class Doorbell: Sendable {
    /// The descriptor to add to the loop's poll, readable once rung.
    package let descriptor: FileDescriptor

    /// Opens the eventfd (close-on-exec, non-blocking).
    package init() throws(SystemError) {
        descriptor = FileDescriptor(rawValue: try SystemCall.retrying("eventfd") { lazysoak_eventfd() })
    }

    deinit { try? descriptor.close() }

    /// Wakes the loop. Safe from any thread; rings while unanswered coalesce into one.
    package func ring() {
        var one: UInt64 = 1
        _ = write(descriptor.rawValue, &one, 8)
    }

    /// Clears the rings, from the loop's thread after it wakes.
    package func answer() {
        var count: UInt64 = 0
        _ = read(descriptor.rawValue, &count, 8)
    }
}
