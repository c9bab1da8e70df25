import FoundationEssentials
import SoakUnits

/// Reads profile files into `Profile` values, refusing anything that would make a run meaningless
/// before the run starts.
///
/// Loading goes in three passes, each reporting all its problems at once: the bytes (empty, not
/// UTF-8, not JSON, with line and column), the structure (types, units, unknown or missing fields,
/// with field paths), then the checks across fields (`ProfileValidator`).
package enum ProfileLoader {
    /// Loads the profile at `path`. Its name is the file name without `.json`; errors name the file
    /// as `displayPath` (default: `path` as given).
    package static func load(file path: String, displayPath: String? = nil) throws(ProfileError) -> Profile {
        let shown = displayPath ?? path
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ProfileError(file: shown, message: "no such file")
        }
        guard !isDirectory else {
            throw ProfileError(file: shown, message: "is a directory; expected a profile .json file")
        }
        // A device (`/dev/zero`) would be read until memory ran out, and no profile is megabytes.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        switch attributes?[.type] as? FileAttributeType {
        case .typeCharacterSpecial?, .typeBlockSpecial?, .typeSocket?:
            throw ProfileError(file: shown, message: "is a device or socket; expected a profile .json file")
        case .typeRegular?:
            let size = Self.integer(attributes?[.size]) ?? 0
            if size > maximumFileBytes {
                throw ProfileError(file: shown, message: "is \(ByteSize.format(size)); a profile is at most "
                    + "\(ByteSize.format(maximumFileBytes))")
            }
        default:
            break
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: shown, message: "cannot be read (check its permissions)")
        }
        return try load(json: [UInt8](data), name: profileName(forFile: path), file: shown)
    }

    /// The largest profile file read: the shipped ones are about 1 KiB.
    package static let maximumFileBytes = 16 << 20

    /// Loads a profile from JSON text already in memory, named `name`, reported as `file`.
    package static func load(json text: String, name: String, file: String) throws(ProfileError) -> Profile {
        try load(json: Array(text.utf8), name: name, file: file)
    }

    /// Loads a profile from the bytes of a JSON file, named `name`, reported as `file`.
    package static func load(json bytes: [UInt8], name: String, file: String) throws(ProfileError) -> Profile {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw ProfileError(file: file, message: "the file is empty; expected a JSON object describing a soak run "
                + "(see Profiles/README.md)")
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            let position = TextPosition(offset: offset, in: bytes)
            throw ProfileError(file: file, message: "not valid UTF-8 text (byte \(offset)); save the file as UTF-8",
                line: position.line, column: position.column)
        }
        let root: ProfileJSON
        do {
            var parser = ProfileJSONParser(bytes: bytes)
            root = try parser.parseDocument()
        } catch {
            let position = TextPosition(offset: error.offset, in: bytes)
            throw ProfileError(file: file, message: "invalid JSON: \(error.message)",
                line: position.line, column: position.column)
        }
        let decoder = ProfileDecoder(file: file, bytes: bytes)
        guard let profile = decoder.decodeProfile(root, name: name) else {
            throw ProfileError(issues: decoder.issues)
        }
        var validator = ProfileValidator(profile: profile, file: file) { path in decoder.offsets[path] }
        validator.run()
        if !validator.problems.isEmpty { throw ProfileError(issues: validator.issues(in: bytes)) }
        return profile
    }

    /// A file attribute's number, whichever integer type the platform boxed it in.
    private static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: number
        case let number as Int64: Int(clamping: number)
        case let number as UInt64: Int(clamping: number)
        case let number as UInt: Int(clamping: number)
        default: nil
        }
    }

    /// The profile name for a file: its last path component without `.json`.
    package static func profileName(forFile path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        return last.hasSuffix(".json") ? String(last.dropLast(5)) : last
    }

    /// The offset of the first byte that breaks UTF-8, or nil when the bytes are valid.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        // Profiles are mostly ASCII, which is valid UTF-8 byte by byte; decode from the first other byte.
        guard let firstNonASCII = bytes.firstIndex(where: { $0 >= 0x80 }) else { return nil }
        var decoder = UTF8()
        var iterator = bytes[firstNonASCII...].makeIterator()
        var offset = firstNonASCII
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }
}

extension Profile {
    /// Checks the profile by the same rules as a loaded file, for profiles built in code or changed
    /// by command-line overrides; `file` names the source in messages (e.g. `Profiles/quick.json`).
    package func validate(file: String) throws(ProfileError) {
        var validator = ProfileValidator(profile: self, file: file)
        validator.run()
        if !validator.problems.isEmpty { throw ProfileError(issues: validator.issues()) }
    }
}
