/// The fields of `/proc/PID/smaps_rollup` the sampler records, in bytes.
///
/// PSS splits shared pages among their users, so the sum over a process tree does not count a
/// shared library once per process; private bytes are what the tree alone would give back.
struct ProcSmapsRollup: Equatable {
    /// `Pss`: proportional set size.
    var pssBytes: Int?
    /// `Private_Clean` + `Private_Dirty`; nil when either is missing.
    var privateBytes: Int?

    init(pssBytes: Int? = nil, privateBytes: Int? = nil) {
        self.pssBytes = pssBytes
        self.privateBytes = privateBytes
    }

    /// Parses the file's bytes in one pass, stopping once every field is found.
    init(parsing bytes: UnsafeRawBufferPointer) {
        var privateClean: Int?
        var privateDirty: Int?
        var line = 0
        while line < bytes.count {
            if bytes[line] == UInt8(ascii: "P") {
                // The colon is part of each key: `Pss:` must not match `Pss_Dirty:`.
                if ProcBytes.matches("Pss:", in: bytes, at: line) {
                    pssBytes = ProcBytes.kilobytes(in: bytes, from: line + 4)
                } else if ProcBytes.matches("Private_Clean:", in: bytes, at: line) {
                    privateClean = ProcBytes.kilobytes(in: bytes, from: line + 14)
                } else if ProcBytes.matches("Private_Dirty:", in: bytes, at: line) {
                    privateDirty = ProcBytes.kilobytes(in: bytes, from: line + 14)
                    break
                }
            }
            line = ProcBytes.lineEnd(in: bytes, from: line)
        }
        if let privateClean, let privateDirty {
            privateBytes = privateClean + privateDirty
        }
    }
}
