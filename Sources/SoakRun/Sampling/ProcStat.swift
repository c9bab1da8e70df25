/// The fields of `/proc/PID/stat` the sampler records.
///
/// The second field is the process name in parentheses, and a name may hold spaces and `)`
/// (`a (b) c) S 1 (` is a valid name), so parsing starts after the *last* `)` in the file.
struct ProcStat: Equatable {
    /// Field 3, one ASCII letter: `R`, `S`, `D`, `Z` (zombie), `T`, `X` (dead), ...
    var state: UInt8?
    /// Field 4.
    var ppid: Int32?
    /// Field 10: faults served without disk I/O.
    var minorFaults: Int?
    /// Field 12: faults that needed disk I/O.
    var majorFaults: Int?
    /// Field 14, in clock ticks.
    var userTicks: Int?
    /// Field 15, in clock ticks.
    var systemTicks: Int?
    /// Field 20.
    var threads: Int?
    /// Field 24, in pages.
    var rssPages: Int?

    init() {}

    /// Whether the process has exited and only waits to be reaped; its memory is already freed.
    var isZombieOrDead: Bool {
        state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") || state == UInt8(ascii: "x")
    }

    /// User plus system time in seconds, given the kernel's `sysconf(_SC_CLK_TCK)`.
    func cpuSeconds(clockTicksPerSecond: Int) -> Double? {
        guard let userTicks, let systemTicks, clockTicksPerSecond > 0 else { return nil }
        return Double(userTicks + systemTicks) / Double(clockTicksPerSecond)
    }

    /// Parses the fields after the last `)`; a field cut short by the end of the bytes stays nil.
    init(parsing bytes: UnsafeRawBufferPointer) {
        var position = bytes.count
        repeat {
            position -= 1
        } while position >= 0 && bytes[position] != UInt8(ascii: ")")
        guard position >= 0 else { return }
        position += 1 // now at the space before field 3

        var field = 2
        while field < 24 {
            // Step over the separator; a field needs its terminator (space or newline) to count,
            // otherwise the file was cut inside it.
            guard position < bytes.count, bytes[position] == ProcBytes.space else { return }
            position += 1
            field += 1
            var end = position
            while end < bytes.count, bytes[end] != ProcBytes.space, bytes[end] != ProcBytes.newline {
                end += 1
            }
            guard end < bytes.count, end > position else { return }
            switch field {
            case 3: state = end == position + 1 ? bytes[position] : nil
            case 4: ppid = Self.decimal(bytes, position, end).flatMap { Int32(exactly: $0) }
            case 10: minorFaults = Self.decimal(bytes, position, end)
            case 12: majorFaults = Self.decimal(bytes, position, end)
            case 14: userTicks = Self.decimal(bytes, position, end)
            case 15: systemTicks = Self.decimal(bytes, position, end)
            case 20: threads = Self.decimal(bytes, position, end)
            case 24: rssPages = Self.decimal(bytes, position, end)
            default: break // skipped unparsed: some of these (priority, nice) may be negative
            }
            position = end
        }
    }

    /// The field's value when it is exactly an unsigned decimal.
    @inline(__always)
    private static func decimal(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard let (value, digitsEnd) = ProcBytes.unsignedDecimal(in: bytes, from: start), digitsEnd == end
        else { return nil }
        return value
    }
}
