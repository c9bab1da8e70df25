import FoundationEssentials
import Glibc

/// Where a samples CSV comes from: a file, read a chunk at a time, or bytes already in memory.
package enum SampleBytes: Sendable {
    case file(String)
    case data(Data, source: String)

    /// The name messages give the data.
    package var source: String {
        switch self {
        case .file(let path): path
        case .data(_, let source): source
        }
    }
}

/// Hands a CSV over as its header line and then chunks of whole lines, never the whole file: a
/// month-long run at 1 Hz is 2.6 million lines, and reading it must not need a big machine.
///
/// A last line without a newline was cut off mid-write and is not handed over; `End` says so. A
/// later pass can stop at `End.completeBytes`, so a file a running harness is still appending to
/// reads the same lines twice.
package enum SampleLineReader {
    /// How much of the data was read.
    package struct End: Sendable {
        /// Bytes up to and including the last newline read.
        package var completeBytes: Int
        /// True when bytes followed the last newline (and a header was read): a cut-off line.
        package var droppedPartialLine: Bool
    }

    static let chunkBytes = 1 << 20
    /// No samples line is anywhere near this; a file without newlines (binary, say) stops here.
    static let longestLine = 16 << 20

    /// Reads `bytes` up to `limit` bytes (nil: to the end). `header` gets the first line without
    /// its newline (or all of a file that has none); `lines` gets buffers that end in a newline.
    package static func read(
        _ bytes: SampleBytes, limit: Int? = nil, header: (UnsafeBufferPointer<UInt8>) throws -> Void,
        lines: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> End {
        switch bytes {
        case .data(let data, _):
            return try data.withUnsafeBytes { raw in
                let all = raw.bindMemory(to: UInt8.self)
                return try split(UnsafeBufferPointer(rebasing: all[0..<min(all.count, limit ?? all.count)]),
                                 atEnd: true, headerDone: false, header: header, lines: lines).end
            }
        case .file(let path):
            return try readFile(path, limit: limit, header: header, lines: lines)
        }
    }

    private static func readFile(
        _ path: String, limit: Int?, header: (UnsafeBufferPointer<UInt8>) throws -> Void,
        lines: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> End {
        guard let file = fopen(path, "rb") else {
            throw readError(path)
        }
        defer { fclose(file) }
        var capacity = chunkBytes
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var consumed = 0
        var headerDone = false
        var remaining = limit ?? Int.max
        while true {
            if filled == capacity {
                guard capacity < longestLine else {
                    throw SampleTableError(message: "\(path): a line longer than \(longestLine >> 20) MiB after "
                        + "byte \(consumed): not a samples CSV")
                }
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                larger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let wanted = min(capacity - filled, remaining)
            let count = wanted == 0 ? 0 : fread(buffer + filled, 1, wanted, file)
            if count == 0, ferror(file) != 0 {
                throw readError(path)
            }
            filled += count
            remaining -= count
            let atEnd = count == 0
            let step = try split(UnsafeBufferPointer(start: buffer, count: filled), atEnd: atEnd,
                                 headerDone: headerDone, header: header, lines: lines)
            headerDone = step.headerDone
            if atEnd {
                return End(completeBytes: consumed + step.end.completeBytes,
                           droppedPartialLine: step.end.droppedPartialLine)
            }
            consumed += step.end.completeBytes
            filled -= step.end.completeBytes
            if step.end.completeBytes > 0, filled > 0 {
                memmove(buffer, buffer + step.end.completeBytes, filled)
            }
        }
    }

    /// The error for a file that cannot be opened or read. SoakAnalysis sits below PosixSupport's
    /// system-call funnel (it is a library of its own), so it reads errno here, once, for the message.
    private static func readError(_ path: String) -> SampleTableError {
        SampleTableError(message: "\(path): cannot read: \(String(cString: strerror(errno)))")
    }

    /// Hands over the header (when not yet done) and every whole line of `bytes`.
    private static func split(
        _ bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool, headerDone: Bool,
        header: (UnsafeBufferPointer<UInt8>) throws -> Void, lines: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> (end: End, headerDone: Bool) {
        let newline = UInt8(ascii: "\n")
        var start = 0
        if !headerDone {
            guard let headerEnd = bytes.firstIndex(of: newline) else {
                // No line break yet: wait for more, or at the end the whole file is its header.
                if atEnd { try header(bytes) }
                return (End(completeBytes: atEnd ? bytes.count : 0, droppedPartialLine: false), atEnd)
            }
            try header(UnsafeBufferPointer(rebasing: bytes[0..<headerEnd]))
            start = headerEnd + 1
        }
        var last = bytes.count
        while last > start, bytes[last - 1] != newline { last -= 1 }
        if last > start { try lines(UnsafeBufferPointer(rebasing: bytes[start..<last])) }
        return (End(completeBytes: last, droppedPartialLine: atEnd && last < bytes.count), true)
    }
}
