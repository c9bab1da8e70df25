/// Checks on the request paths a scenario replays.
///
/// Paths under `/t/` name a tenant and an artifact, which must be valid registry names
/// (`[A-Za-z0-9._-]{1,64}`, never `..`), so a profile cannot send the runtime outside its registry.
package enum RequestPath {
    /// The placeholders a many-tenants request may use, filled from the active subset per cycle.
    static let placeholders: Set<String> = ["{tenant}", "{artifact}"]

    /// Why `request` is not a usable path, or nil when it is.
    static func problem(in request: String, placeholders allowPlaceholders: Bool) -> String? {
        guard request.hasPrefix("/") else {
            return "expected a path starting with \"/\", found \(ProfileJSON.quoted(request))"
        }
        return registryNameProblem(in: request, placeholders: allowPlaceholders)
    }

    /// In `/t/<tenant>/<artifact>`, why a name is not a registry name.
    private static func registryNameProblem(in request: String, placeholders allowPlaceholders: Bool) -> String? {
        let pathOnly = request.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard pathOnly.hasPrefix("/t/") || pathOnly == "/t" else { return characterProblem(in: request) }
        let segments = pathOnly.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2)
        guard segments.count >= 2 else {
            return "expected a path like /t/<tenant>/<artifact>, found \(ProfileJSON.quoted(request))"
        }
        for (role, name) in zip(["a tenant", "an artifact"], segments) {
            if allowPlaceholders, placeholders.contains(String(name)) { continue }
            if !isValidName(name) {
                return "expected \(role) name of 1 to 64 characters from A-Z a-z 0-9 . _ - and not \"..\", "
                    + "found \(ProfileJSON.quoted(String(name))) in \(ProfileJSON.quoted(request))"
            }
        }
        return characterProblem(in: request)
    }

    /// A path goes on the request line as written: a space would end it early and a control
    /// character would break the request, so the server would answer 400 to every cycle.
    private static func characterProblem(in request: String) -> String? {
        guard let bad = invalidCharacter(in: request) else { return nil }
        return "expected a path without spaces, control characters or non-ASCII characters (percent-encode "
            + "them, like %20), found \(bad) in \(ProfileJSON.quoted(request))"
    }

    /// The first character that cannot stand in a request target as written, described for a
    /// message (`a space`); nil when there is none.
    static func invalidCharacter(in text: String) -> String? {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20: return "a space"
            case 0..<0x20, 0x7F: return "a control character (code \(scalar.value))"
            case 0x80...: return "the non-ASCII character \(ProfileJSON.quoted(String(scalar)))"
            case 0x23: return "\"#\" (a fragment, which HTTP never sends)"
            default: continue
            }
        }
        return nil
    }

    /// The tenant a `/t/<tenant>/...` path names, or nil.
    static func tenant(of request: String) -> String? {
        let segments = request.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 3, segments[0].isEmpty, segments[1] == "t" else { return nil }
        return String(segments[2])
    }

    /// A registry name: `[A-Za-z0-9._-]{1,64}` and never `.` or `..`.
    package static func isValidName(_ name: Substring) -> Bool {
        guard (1...64).contains(name.utf8.count), name != "..", name != "." else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}

/// tenantd's `--eager` list: `*` for all, `!name` to exclude, names to include.
struct EagerList {
    var all = false
    var included: Set<String> = []
    var excluded: Set<String> = []

    /// Parses the list as `tenantd --eager` does: comma-separated items, each trimmed at its
    /// ends only (a line break inside a name is not a separator); nil when an item is not `*`,
    /// a name or `!name`. Empty means lazy.
    init?(_ text: String) {
        let items = text.split(separator: ",").map { item in
            Substring(item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }.filter { !$0.isEmpty }
        for item in items {
            if item == "*" {
                all = true
            } else if item.hasPrefix("!"), RequestPath.isValidName(item.dropFirst()) {
                excluded.insert(String(item.dropFirst()))
            } else if RequestPath.isValidName(item) {
                included.insert(String(item))
            } else {
                return nil
            }
        }
    }

    /// Whether `tenant` is loaded at start and never unloaded.
    func includes(_ tenant: String) -> Bool {
        (all || included.contains(tenant)) && !excluded.contains(tenant)
    }
}
