import Glibc

/// Byte-level scanning shared by the /proc parsers.
///
/// The sampler runs for days at up to several samples a second, so parsing works on the raw
/// bytes `pread` left in a reused buffer: no `String`, no splitting, no allocation.
enum ProcBytes {
    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// Whether `bytes` holds `key` at `index`; `key` must be ASCII.
    @inline(__always)
    static func matches(_ key: StaticString, in bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let length = key.utf8CodeUnitCount
        guard index + length <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + index, key.utf8Start, length) == 0
    }

    /// The index just past the next newline at or after `index`, or `bytes.count` when there is none.
    @inline(__always)
    static func lineEnd(in bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
        guard index < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let found = memchr(base + index, Int32(newline), bytes.count - index) else { return bytes.count }
        return UnsafeRawPointer(found) - base + 1
    }

    /// Reads an unsigned decimal at `index`, after any spaces and tabs.
    ///
    /// Returns nil when there is no digit or the value overflows; `end` is the index after the
    /// last digit, so callers can check what follows (a truncated file ends right after digits).
    @inline(__always)
    static func unsignedDecimal(in bytes: UnsafeRawBufferPointer, from index: Int) -> (value: Int, end: Int)? {
        var position = index
        while position < bytes.count, bytes[position] == space || bytes[position] == tab {
            position += 1
        }
        let start = position
        var value = 0
        while position < bytes.count {
            let digit = Int(bytes[position]) &- 48
            guard digit >= 0, digit <= 9 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            position += 1
        }
        return position > start ? (value, position) : nil
    }

    /// A `Key:   N kB` value in bytes, or nil unless the line is complete (digits, ` kB`, newline).
    @inline(__always)
    static func kilobytes(in bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        guard let (value, end) = unsignedDecimal(in: bytes, from: index),
              matches(" kB\n", in: bytes, at: end)
        else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: 1024)
        return overflow ? nil : result
    }

    /// A `Key:   N` count, or nil unless the digits are followed by a newline.
    @inline(__always)
    static func count(in bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        guard let (value, end) = unsignedDecimal(in: bytes, from: index),
              end < bytes.count, bytes[end] == newline
        else { return nil }
        return value
    }
}
