/// The fields of `/proc/PID/status` the sampler records, in bytes and counts.
///
/// A field the file lacks, or whose line is cut short, is nil rather than zero: zombies and
/// kernel threads have no `Vm*` lines, and a nil is recorded as missing, never as "no memory".
struct ProcStatus: Equatable {
    /// `VmRSS`: resident set size.
    var rssBytes: Int?
    /// `RssAnon`: the anonymous part of the resident set (heap, stacks), where leaks show.
    var rssAnonBytes: Int?
    /// `VmHWM`: peak resident set size.
    var hwmBytes: Int?
    /// `Threads`.
    var threads: Int?

    init(rssBytes: Int? = nil, rssAnonBytes: Int? = nil, hwmBytes: Int? = nil, threads: Int? = nil) {
        self.rssBytes = rssBytes
        self.rssAnonBytes = rssAnonBytes
        self.hwmBytes = hwmBytes
        self.threads = threads
    }

    /// Parses the file's bytes in one pass, stopping once every field is found.
    init(parsing bytes: UnsafeRawBufferPointer) {
        var line = 0
        while line < bytes.count {
            // Dispatch on the first byte so most of the ~55 lines cost one comparison.
            switch bytes[line] {
            case UInt8(ascii: "V"):
                if ProcBytes.matches("VmRSS:", in: bytes, at: line) {
                    rssBytes = ProcBytes.kilobytes(in: bytes, from: line + 6)
                } else if ProcBytes.matches("VmHWM:", in: bytes, at: line) {
                    hwmBytes = ProcBytes.kilobytes(in: bytes, from: line + 6)
                }
            case UInt8(ascii: "R"):
                if ProcBytes.matches("RssAnon:", in: bytes, at: line) {
                    rssAnonBytes = ProcBytes.kilobytes(in: bytes, from: line + 8)
                }
            case UInt8(ascii: "T"):
                if ProcBytes.matches("Threads:", in: bytes, at: line) {
                    threads = ProcBytes.count(in: bytes, from: line + 8)
                    // Threads follows the memory lines; the rest of the file is signals and caps.
                    return
                }
            default:
                break
            }
            line = ProcBytes.lineEnd(in: bytes, from: line)
        }
    }
}
