import SoakAnalysis

/// A JSON value together with the field path that leads to it (`scenario.requests[2]`).
import SoakUnits

struct ProfileField {
    var value: ProfileJSON
    var path: String

    /// The path of `key` inside this field.
    func path(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
}

/// The members of a JSON object whose keys were all checked against the allowed list.
struct ProfileObject {
    var field: ProfileField
    var members: [String: ProfileJSON]

    /// The member `key`, or nil when absent. An explicit `null` counts as absent, so optional
    /// fields can be written as `null` (`"injectLeak": null`).
    subscript(key: String) -> ProfileField? {
        guard let value = members[key] else { return nil }
        if case .null = value.kind { return nil }
        return ProfileField(value: value, path: field.path(key))
    }

    /// True when the object has the key at all, even as `null`.
    func has(_ key: String) -> Bool { members[key] != nil }
}

/// Turns parsed JSON into model values, collecting every problem instead of stopping at the first.
///
/// Each reader returns nil after recording an issue; the caller keeps going with defaults so one
/// pass reports all of a file's structural problems. Whether any were found decides, at the end,
/// whether a `Profile` is built at all.
final class ProfileDecoder {
    let file: String
    private let bytes: [UInt8]
    private var problems: ProfileIssues
    /// Where each field path was found, for positions of later (semantic) problems.
    private(set) var offsets: [String: Int] = [:]
    /// Unknown or repeated field names reported per object before the rest are only counted.
    static let namesShownPerObject = 3
    /// The metrics the target's sources declare, once the target is decoded: thresholds and
    /// tolerances may name them.
    var declaredMetrics: [Metric] = []

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        problems = ProfileIssues(file: file)
    }

    /// True when some problem was found.
    var foundProblems: Bool { !problems.isEmpty }

    /// Every problem found, positioned in the file.
    var issues: [ProfileError.Issue] { problems.resolved(in: bytes) }

    /// Notes where `path` stands in the file.
    func remember(_ path: String, _ offset: Int) { offsets[path] = offset }

    /// Records a problem at `path`, positioned at `offset` when known.
    func report(_ path: String, _ message: String, at offset: Int? = nil) {
        problems.add(path, message, at: offset ?? offsets[path])
    }

    /// Records a problem with the whole file, without a position.
    func reportWholeFile(_ message: String) {
        problems.add("", message, at: nil)
    }

    /// Records `expected ..., found <value>` for a field.
    func mismatch(_ field: ProfileField, expected: String) {
        report(field.path, "expected \(expected), found \(field.value.foundText)", at: field.value.offset)
    }

    /// Reads an object, reporting unknown and repeated keys; nil when the value is not an object.
    ///
    /// Only the first few unknown or repeated names are reported, then a count: a file with
    /// 300,000 stray fields gets four lines, in time linear in its size.
    func object(_ field: ProfileField, allowed: [String], expected: String = "an object") -> ProfileObject? {
        offsets[field.path] = field.value.offset
        guard case .object(let list) = field.value.kind else {
            mismatch(field, expected: expected)
            return nil
        }
        var members: [String: ProfileJSON] = [:]
        var names = StrayNames(decoder: self, object: field, allowed: allowed, noun: "field")
        for member in list {
            if members[member.key] != nil {
                names.repeated(member)
                continue
            }
            guard allowed.contains(member.key) else {
                names.unknown(member)
                continue
            }
            let path = field.path(member.key)
            members[member.key] = member.value
            offsets[path] = member.value.offset
        }
        names.finish()
        return ProfileObject(field: field, members: members)
    }

    /// The member `key`, reporting it as missing when absent or null.
    func required(_ object: ProfileObject, _ key: String, expected: String) -> ProfileField? {
        if let field = object[key] { return field }
        report(object.field.path(key), "missing; expected \(expected)", at: object.field.value.offset)
        return nil
    }

    // MARK: Scalars

    func string(_ field: ProfileField, expected: String = "text in double quotes") -> String? {
        guard case .string(let text) = field.value.kind else {
            mismatch(field, expected: expected)
            return nil
        }
        return text
    }

    func bool(_ field: ProfileField) -> Bool? {
        guard case .bool(let value) = field.value.kind else {
            mismatch(field, expected: "true or false")
            return nil
        }
        return value
    }

    /// Any finite JSON number.
    func number(_ field: ProfileField, expected: String = "a number") -> Double? {
        guard case .number(let text) = field.value.kind, let value = Double(text), value.isFinite else {
            mismatch(field, expected: expected)
            return nil
        }
        return value
    }

    /// A JSON number without fraction or exponent that fits an `Int`.
    func integer(_ field: ProfileField, example: String = "5") -> Int? {
        guard case .number(let text) = field.value.kind, let value = Int(text) else {
            mismatch(field, expected: "a whole number like \(example)")
            return nil
        }
        return value
    }

    func unsigned64(_ field: ProfileField, example: String = "42") -> UInt64? {
        guard case .number(let text) = field.value.kind, let value = UInt64(text) else {
            mismatch(field, expected: "a whole number from 0 to \(UInt64.max) like \(example)")
            return nil
        }
        return value
    }

    /// A duration string (`3m`, `1h30m`).
    func duration(_ field: ProfileField, example: String = DurationText.example) -> Duration? {
        guard case .string(let text) = field.value.kind, let value = DurationText.parse(text) else {
            mismatch(field, expected: "a duration like \(example)")
            return nil
        }
        return value
    }

    /// A byte size: a string with a unit (`64KiB`) or a plain number of bytes.
    func byteSize(_ field: ProfileField, example: String = ByteSize.example) -> Double? {
        switch field.value.kind {
        case .string(let text):
            if let value = ByteSize.parse(text) { return value }
        case .number(let text):
            if let value = Double(text), value.isFinite, value >= 0 { return value }
        default:
            break
        }
        mismatch(field, expected: "a byte size like \(example) or a number of bytes")
        return nil
    }

    /// A list of strings.
    func strings(_ field: ProfileField, expected: String = "a list of strings") -> [String]? {
        guard case .array(let items) = field.value.kind else {
            mismatch(field, expected: expected)
            return nil
        }
        var result: [String] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemField = ProfileField(value: item, path: field.path + "[\(index)]")
            offsets[itemField.path] = item.offset
            if let text = string(itemField) { result.append(text) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// An object whose every value is a string (environment variables).
    func stringMap(_ field: ProfileField) -> [String: String]? {
        guard case .object(let list) = field.value.kind else {
            mismatch(field, expected: "an object of strings like {\"NAME\": \"value\"}")
            return nil
        }
        var result: [String: String] = [:]
        var ok = true
        var names = StrayNames(decoder: self, object: field, allowed: [], noun: "field")
        for member in list {
            let memberField = ProfileField(value: member.value, path: field.path(member.key))
            if result[member.key] != nil {
                names.repeated(member)
                ok = false
            } else if let text = string(memberField) {
                result[member.key] = text
            } else {
                ok = false
            }
        }
        names.finish()
        return ok ? result : nil
    }
}
