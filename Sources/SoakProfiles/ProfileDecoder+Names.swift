/// Field names that are not in the format: the message for an unknown one (with a guess at the
/// name meant), and the cap on how many are reported per object.
extension ProfileDecoder {
    func unknownFieldMessage(_ key: String, allowed: [String], noun: String = "field") -> String {
        var message = "unknown \(noun); expected one of \(allowed.joined(separator: ", "))"
        if let guess = Self.closest(to: key, among: allowed) { message += " (did you mean \(guess)?)" }
        return message
    }

    /// The path of a member whose name is to be shown in a message: a name of thousands of
    /// characters is cut short.
    func shownPath(_ object: ProfileField, _ key: String) -> String {
        object.path(key.count > 60 ? String(key.prefix(60)) + "…" : key)
    }

    /// The allowed name nearest to a misspelt one, when it is near enough to be a likely typo.
    static func closest(to key: String, among allowed: [String]) -> String? {
        // No field name is this long; a distance to it would only cost time (it is quadratic).
        guard key.count <= 64 else { return nil }
        let lowered = key.lowercased()
        // A shortened name (`heap` for `heap_in_use`) is as likely a slip as a typo.
        if lowered.count >= 3, let prefixed = allowed.first(where: { $0.lowercased().hasPrefix(lowered) }) {
            return prefixed
        }
        let scored = allowed.map { ($0, editDistance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, key.count / 3) ? best.0 : nil
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Unknown and repeated names in one object: the first few reported with a message each, the
/// rest counted in one closing line.
struct StrayNames {
    let decoder: ProfileDecoder
    let object: ProfileField
    let allowed: [String]
    /// `field` or `metric`.
    let noun: String
    private var unknownCount = 0
    private var repeatedCount = 0

    init(decoder: ProfileDecoder, object: ProfileField, allowed: [String], noun: String) {
        self.decoder = decoder
        self.object = object
        self.allowed = allowed
        self.noun = noun
    }

    mutating func unknown(_ member: ProfileJSON.Member) {
        unknownCount += 1
        guard unknownCount <= ProfileDecoder.namesShownPerObject else { return }
        decoder.report(decoder.shownPath(object, member.key),
            decoder.unknownFieldMessage(member.key, allowed: allowed, noun: noun), at: member.value.offset)
    }

    mutating func repeated(_ member: ProfileJSON.Member) {
        repeatedCount += 1
        guard repeatedCount <= ProfileDecoder.namesShownPerObject else { return }
        decoder.report(decoder.shownPath(object, member.key), "\(noun) given twice; keep one", at: member.value.offset)
    }

    /// Reports how many were not shown, if any.
    func finish() {
        let shown = ProfileDecoder.namesShownPerObject
        if unknownCount > shown {
            report("\(unknownCount - shown) more unknown \(noun)s not shown (\(unknownCount) in all); "
                + "expected only \(allowed.joined(separator: ", "))")
        }
        if repeatedCount > shown {
            report("\(repeatedCount - shown) more \(noun)s given twice not shown (\(repeatedCount) in all)")
        }
    }

    private func report(_ message: String) {
        // The whole file's object needs no position: "line 1, column 1" would add nothing.
        if object.path.isEmpty {
            decoder.reportWholeFile(message)
        } else {
            decoder.report(object.path, message, at: object.value.offset)
        }
    }
}
