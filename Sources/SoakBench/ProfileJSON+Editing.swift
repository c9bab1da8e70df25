/// Editing and writing a parsed profile, so the bench can derive its profiles from the shipped
/// ones (a leak injected, a limit raised) with every other field kept as written, in order.
import SoakProfiles
import SoakRun

extension ProfileJSON {
    /// Parses a profile file's bytes; throws with the byte offset and message of a syntax error.
    static func parse(_ bytes: [UInt8]) throws -> ProfileJSON {
        var parser = ProfileJSONParser(bytes: bytes)
        do {
            return try parser.parseDocument()
        } catch {
            throw BenchError("invalid profile JSON at byte \(error.offset): \(error.message)")
        }
    }

    /// Sets the value at a dotted path such as `target.tenantd.leakBytes`, replacing a member or
    /// appending it, and creating objects on the way.
    mutating func set(_ path: String, _ value: Kind) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard let key = parts.first else { return }
        var members: [Member]
        if case .object(let existing) = kind { members = existing } else { members = [] }
        let index = members.firstIndex { $0.key == key }
        var child = index.map { members[$0].value } ?? ProfileJSON(kind: .object([]), offset: 0)
        if parts.count == 2 { child.set(parts[1], value) } else { child.kind = value }
        if let index { members[index].value = child } else { members.append(Member(key: key, value: child)) }
        kind = .object(members)
    }

    /// The value as JSON text, two-space indented, members in order.
    func text(indent: String = "") -> String {
        let inner = indent + "  "
        switch kind {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return Self.jsonString(text)
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { inner + $0.text(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            return "{\n" + members.map { "\(inner)\(Self.jsonString($0.key)): \($0.value.text(indent: inner))" }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = ""
        JSONLine.appendQuoted(text, to: &out)
        return out
    }
}
