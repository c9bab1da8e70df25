#if canImport(Glibc)
import Glibc
#endif

/// A doorbell a sleeping thread polls beside its deadline: a self-pipe any thread, or a signal
/// handler, can ring so the sleeper wakes at once instead of at its next deadline.
///
/// A ring says only "look again": the sleeper re-checks whatever condition it waits for (a stop
/// request, a child's exit). One sleeper per doorbell: ``wait(until:)`` drains the pipe, so a
/// second thread polling the same pipe could miss a ring the first one consumed.
///
/// A self-pipe rather than an eventfd because Glibc's Swift module does not expose eventfd; the
/// write end is non-blocking, so ringing a full pipe (already rung) never blocks a signal handler.
package final class WakeEvent: Sendable {
    private let readEnd: FileDescriptor
    private let writeEnd: FileDescriptor

    /// Opens the pipe (close-on-exec, non-blocking at both ends).
    package init() throws(SystemError) {
        (readEnd, writeEnd) = try FileDescriptor.makePipe()
        do {
            try readEnd.setNonBlocking()
            try writeEnd.setNonBlocking()
        } catch {
            try? readEnd.close()
            try? writeEnd.close()
            throw error
        }
    }

    deinit {
        try? readEnd.close()
        try? writeEnd.close()
    }

    /// The descriptor a signal handler rings with ``ring(descriptor:)``; valid while this lives.
    package var ringDescriptor: Int32 { writeEnd.rawValue }

    /// Wakes the sleeper, or the next one to wait. Safe from any thread.
    package func ring() {
        Self.ring(descriptor: writeEnd.rawValue)
    }

    /// Rings the doorbell whose ``ringDescriptor`` is `descriptor`, with nothing but write(2)
    /// (async-signal-safe) and `errno` left as it was, for a signal handler.
    package static func ring(descriptor: Int32) {
        let saved = errno
        var byte: UInt8 = 1
        // EAGAIN means the pipe is full of rings already: nothing is lost.
        _ = write(descriptor, &byte, 1)
        errno = saved
    }

    /// Waits until the doorbell rings or `deadline` (on ``MonotonicClock/now``'s scale) passes.
    /// Returns true when it rang (a ring before the call counts), false at the deadline.
    ///
    /// poll(2) counts whole milliseconds, so the last fraction of one is slept on the clock itself
    /// and the wait ends at the deadline, not up to a millisecond late.
    package func wait(until deadline: Duration) -> Bool {
        while true {
            if drain() { return true }
            let remaining = deadline - MonotonicClock.now
            if remaining <= .zero { return false }
            if remaining < .milliseconds(1) {
                MonotonicClock.sleep(until: deadline)
                return drain()
            }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            var request = pollfd(fd: readEnd.rawValue, events: Int16(POLLIN), revents: 0)
            do {
                // `once`: after EINTR the loop recomputes the time left rather than restarting it.
                try SystemCall.once("poll") { poll(&request, 1, milliseconds) }
            } catch where error.errno == EINTR {
                continue
            } catch {
                // A broken pipe cannot ring; still honour the deadline rather than spin.
                MonotonicClock.sleep(until: deadline)
                return false
            }
        }
    }

    /// Empties the pipe; true when it held at least one ring.
    private func drain() -> Bool {
        var rang = false
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while true {
            let count = withUnsafeMutableBytes(of: &bytes) { buffer in
                try? readEnd.read(into: buffer)
            }
            guard let count, count > 0 else { return rang }
            rang = true
        }
    }
}
