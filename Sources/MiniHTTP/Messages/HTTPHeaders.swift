/// HTTP header fields in the order they were received or added, with case-insensitive lookup.
///
/// Order is kept because it is visible on the wire and in logs; lookups compare names
/// ASCII-case-insensitively without allocating, since they run on every request.
package struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field.
    package typealias Field = (name: String, value: String)

    private var fields: [Field] = []

    /// An empty set of headers.
    package init() {}

    /// Headers from `(name, value)` pairs, kept in the given order.
    package init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// Headers from a literal such as `["Content-Type": "text/plain"]`.
    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields, counting repeated names separately.
    package var count: Int { fields.count }

    /// True when there are no fields.
    package var isEmpty: Bool { fields.isEmpty }

    /// The first value for `name`, or nil; setting replaces every field of that name.
    package subscript(name: String) -> String? {
        get { fields.first { Self.namesMatch($0.name, name) }?.value }
        set {
            if let newValue { replaceOrAdd(name: name, value: newValue) } else { remove(name: name) }
        }
    }

    /// Every value for `name`, in order (Set-Cookie and friends may repeat).
    package func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// True when any field is named `name`.
    package func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// Appends a field, keeping existing ones of the same name.
    package mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces the first field named `name` and drops the others, or appends one.
    package mutating func replaceOrAdd(name: String, value: String) {
        guard let first = fields.firstIndex(where: { Self.namesMatch($0.name, name) }) else {
            fields.append((name: name, value: value))
            return
        }
        fields[first].value = value
        var index = fields.count - 1
        while index > first {
            if Self.namesMatch(fields[index].name, name) { fields.remove(at: index) }
            index -= 1
        }
    }

    /// Removes every field named `name`.
    package mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// True when a comma-separated header such as Connection lists `token` (case-insensitive).
    package func hasToken(_ token: String, in name: String) -> Bool {
        for value in values(for: name) {
            for part in value.utf8.split(separator: UInt8(ascii: ",")) {
                if Self.asciiEqualIgnoringCase(trimmed(part), token.utf8) { return true }
            }
        }
        return false
    }

    /// Iterates the fields in order.
    package func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Equal when the same fields appear in the same order (names compared case-insensitively).
    package static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { namesMatch($0.name, $1.name) && $0.value == $1.value }
    }

    /// The fields as they would appear on the wire, one per line.
    package var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        asciiEqualIgnoringCase(lhs.utf8, rhs.utf8)
    }

    static func asciiEqualIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ lhs: A, _ rhs: B) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (left, right) in zip(lhs, rhs) where left != right {
            // Header names are ASCII tokens, so OR-ing 0x20 folds case for letters only
            // once we have checked the byte is a letter.
            let lower = left | 0x20
            guard lower == right | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
        }
        return true
    }
}

/// `bytes` without leading and trailing spaces and tabs.
func trimmed<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> C.SubSequence {
    let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    guard let start = bytes.firstIndex(where: { !isBlank($0) }) else { return bytes[bytes.endIndex...] }
    let end = bytes.lastIndex(where: { !isBlank($0) })!
    return bytes[start...end]
}
