/// The problems found in one profile, capped and positioned in one pass.
///
/// A hostile file can hold hundreds of thousands of problems (300,000 unknown fields in 5.7 MB).
/// Reporting them all made loading quadratic (each position was counted from the start of the
/// file) and printed a line per field; nobody reads past the first screen. So the first
/// `shownLimit` problems are kept, the rest are counted in one closing line, and line and column
/// are resolved for the kept ones in a single walk over the bytes.
struct ProfileIssues {
    /// Problems shown before the rest are only counted.
    static let shownLimit = 40

    let file: String
    private var kept: [(path: String, message: String, offset: Int?)] = []
    /// Problems found beyond `shownLimit`.
    private(set) var unshown = 0

    init(file: String) {
        self.file = file
    }

    /// True when no problem was found.
    var isEmpty: Bool { kept.isEmpty && unshown == 0 }

    /// Notes a problem at `path`, at byte `offset` of the file when known.
    mutating func add(_ path: String, _ message: String, at offset: Int?) {
        guard kept.count < Self.shownLimit else {
            unshown += 1
            return
        }
        kept.append((path, message, offset))
    }

    /// The problems as `ProfileError` issues, positioned in `bytes` when given, ending with one
    /// line that counts those not shown.
    func resolved(in bytes: [UInt8]?) -> [ProfileError.Issue] {
        let positions = bytes.map { TextPosition.locate(kept.compactMap(\.offset), in: $0) } ?? [:]
        var issues = kept.map { problem in
            let position = problem.offset.flatMap { positions[$0] }
            return ProfileError.Issue(file: file, path: problem.path, message: problem.message,
                line: position?.line, column: position?.column)
        }
        if unshown > 0 {
            issues.append(ProfileError.Issue(file: file, path: "", message: "\(unshown) more problems not shown "
                + "(\(kept.count + unshown) in all); fix these and load the file again"))
        }
        return issues
    }
}

extension TextPosition {
    /// The positions of many offsets, found in one walk over the bytes (linear, however many).
    static func locate(_ offsets: [Int], in bytes: [UInt8]) -> [Int: TextPosition] {
        var wanted = Array(Set(offsets)).sorted()[...]
        var result: [Int: TextPosition] = [:]
        var line = 1
        var column = 1
        var index = 0
        while let next = wanted.first {
            let end = min(next, bytes.count)
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    // Count scalars, not UTF-8 continuation bytes.
                    column += 1
                }
                index += 1
            }
            result[next] = TextPosition(line: line, column: column)
            wanted.removeFirst()
        }
        return result
    }
}
