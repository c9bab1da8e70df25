/// A tenant or artifact name that is safe to use as one path component.
///
/// Names match `[A-Za-z0-9._-]{1,64}` and are never `.` or `..`, so a name can never reach
/// outside the registry folder, whatever a request contains.
public struct RegistryName: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The validated text.
    public let text: String

    /// Validates `text`, throwing an error that says what is wrong.
    public init(_ text: String) throws(RegistryNameError) {
        // The UTF-8 view directly, not a copy: every request validates two names.
        let bytes = text.utf8
        guard !bytes.isEmpty else { throw RegistryNameError(name: text, problem: "is empty") }
        guard bytes.count <= 64 else {
            throw RegistryNameError(name: text, problem: "is longer than 64 characters")
        }
        guard text != ".", text != ".." else {
            throw RegistryNameError(name: text, problem: "is a relative path component")
        }
        for byte in bytes where !RegistryName.isAllowed(byte) {
            throw RegistryNameError(name: text, problem: "contains a character outside [A-Za-z0-9._-]")
        }
        self.text = text
    }

    /// Whether `bytes` would make a valid name: the same rule as `init`, on raw bytes, for
    /// checking directory entries without making a `String` of each.
    static func isValid<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard (1...64).contains(bytes.count), bytes.allSatisfy(isAllowed) else { return false }
        return !bytes.allSatisfy { $0 == UInt8(ascii: ".") } || bytes.count > 2
    }

    public var description: String { text }
    public static func < (lhs: RegistryName, rhs: RegistryName) -> Bool { lhs.text < rhs.text }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

/// A name refused by `RegistryName`.
public struct RegistryNameError: Error, CustomStringConvertible, Sendable {
    /// The name as given.
    public let name: String
    /// Why it is not a registry name.
    public let problem: String
    public var description: String {
        "name \"\(name.prefix(80))\" \(problem); expected 1 to 64 characters from [A-Za-z0-9._-], not . or .."
    }
}
