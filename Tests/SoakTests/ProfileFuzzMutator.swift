import Foundation
@testable import SoakAnalysis
@testable import SoakProfiles

/// Mutates a parsed profile: on the JSON tree (values, keys, members) or on its bytes (truncation,
/// stray and invalid bytes), one to three changes per case, chosen by a seeded generator.
enum FuzzMutator {
    static func mutate(_ document: FuzzDocument, using random: inout SplitMix64) -> (bytes: [UInt8], label: String) {
        var root = document.root
        var labels: [String] = []
        // Mostly one change, so a fair share of cases still load and reach the launch plan.
        for _ in 0..<[1, 1, 1, 1, 1, 1, 2, 2, 2, 3][Int(random.next() % 10)] {
            labels.append(mutateTree(&root, using: &random))
        }
        var bytes = Array(FuzzTree.text(root).utf8)
        if random.next() % 5 == 0 { labels.append(mutateBytes(&bytes, using: &random)) }
        return (bytes, labels.joined(separator: "; "))
    }

    private static func mutateTree(_ root: inout ProfileJSON, using random: inout SplitMix64) -> String {
        let places = FuzzTree.places(in: root)
        let place = places[Int(random.next() % UInt64(places.count))]
        let shown = FuzzTree.describe(place.steps, in: root)
        switch random.next() % 10 {
        case 0...4:
            let value = random.next() % 2 == 0
                ? FuzzValues.pick(like: place.value, using: &random) : FuzzValues.pick(using: &random)
            FuzzTree.modify(&root, at: place.steps) { $0 = value }
            return "\(shown) = \(FuzzTree.text(value).prefix(40))"
        case 5:
            guard let (parent, index) = FuzzTree.memberOf(place.steps) else { return "no-op" }
            FuzzTree.modify(&root, at: parent) { object in
                guard case .object(var members) = object.kind, index < members.count else { return }
                members.remove(at: index)
                object = .fuzz(.object(members))
            }
            return "delete \(shown)"
        case 6:
            guard let (parent, index) = FuzzTree.memberOf(place.steps) else { return "no-op" }
            let value = FuzzValues.pick(using: &random)
            FuzzTree.modify(&root, at: parent) { object in
                guard case .object(var members) = object.kind, index < members.count else { return }
                members.insert(ProfileJSON.Member(key: members[index].key, value: value), at: index + 1)
                object = .fuzz(.object(members))
            }
            return "repeat \(shown)"
        case 7:
            guard let (parent, index) = FuzzTree.memberOf(place.steps) else { return "no-op" }
            let key = FuzzValues.misspell(using: &random)
            FuzzTree.modify(&root, at: parent) { object in
                guard case .object(var members) = object.kind, index < members.count else { return }
                members[index].key = key(members[index].key)
                object = .fuzz(.object(members))
            }
            return "rename \(shown)"
        case 8:
            let count = [1, 3, 4, 50, 600][Int(random.next() % 5)]
            let objects = places.filter { if case .object = $0.value.kind { true } else { false } }
            guard !objects.isEmpty else { return "no-op" }
            let target = objects[Int(random.next() % UInt64(objects.count))].steps
            FuzzTree.modify(&root, at: target) { object in
                guard case .object(let members) = object.kind else { return }
                let extra = (0..<count).map { ProfileJSON.Member(key: "x\($0)", value: .fuzz(.bool(true))) }
                object = .fuzz(.object(members + extra))
            }
            return "\(count) unknown fields in \(FuzzTree.describe(target, in: root))"
        default:
            FuzzTree.modify(&root, at: place.steps) { value in
                value = random.next() % 2 == 0 ? .fuzz(.array([value])) : .fuzz(.object([.init(key: "value", value: value)]))
            }
            return "wrap \(shown)"
        }
    }

    private static func mutateBytes(_ bytes: inout [UInt8], using random: inout SplitMix64) -> String {
        guard !bytes.isEmpty else { return "no-op" }
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 6 {
        case 0:
            bytes.removeSubrange(at...)
            return "truncated at \(at)"
        case 1:
            let byte = UInt8(truncatingIfNeeded: random.next())
            bytes.insert(byte, at: at)
            return "byte \(byte) inserted at \(at)"
        case 2:
            bytes[at] ^= UInt8(1) << (random.next() % 8)
            return "bit flipped at \(at)"
        case 3:
            bytes.insert(contentsOf: [0xC3, 0x28, 0xFF, 0x00], at: at)
            return "invalid UTF-8 at \(at)"
        case 4:
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
            return "byte-order mark"
        default:
            let end = min(bytes.count, at + Int(random.next() % 200))
            bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
            return "bytes \(at)..<\(end) repeated"
        }
    }
}

/// The values a mutation puts in: wrong types, numeric extremes, unit edge cases, hostile text.
enum FuzzValues {
    static let numbers = [
        "0", "-0", "1", "-1", "0.5", "1e-7", "1e-320", "1e308", "-1e308", "1e400", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "18446744073709551616", "99999999999999999999999",
        "9.2e18", "9.3e18", "1e30", "4294967296", "65536", "10000", "10001", "100000", "7200", "1000000", "1000001",
        "3.0", "2", "20",
    ]
    static let strings = [
        "", " ", "0s", "1ns", "1µs", "1us", "999us", "1ms", "10s", "3m", "1h30m", "1.5h", "8d", "366d", "367d",
        "106751d", "106752d", "9223372036854775807ns", "-3m", "3m!", "3 m", "1e3s", "8388608TiB", "1TiB",
        "1.0000000001TiB", "1GiB", "1025MiB", "0B", "64KiB", "1e30", "NaN", "inf", "5%", "100%", "-5%", "1e400%",
        "99999999999999999999%", "service", "webapp", "retain-cycle", "global-cache", "many-tenants", "plain",
        "sample-only", "tenant-unload", "/t/t1/a1.service", "/t/t1/a1.service/a b", "/t/{tenant}/{artifact}",
        "/t/../x", "/t/t1/a1.service?q=\u{E9}", "/t/t1/a1.service\t", "*,!t7", "*", "\u{0}", "a\u{0}b", "\u{E9}",
        "\u{1F986}", "\u{202E}3m", "3\u{0301}m", "\u{FF4D}", "\u{FEFF}", String(repeating: "x", count: 2000),
        "http://127.0.0.1:{port}", "https://example.com", "{port}", "{run}", "--time-scale",
    ]

    static func pick(using random: inout SplitMix64) -> ProfileJSON {
        switch random.next() % 10 {
        case 0...3: return .fuzz(.number(numbers[Int(random.next() % UInt64(numbers.count))]))
        case 4...7: return .fuzz(.string(strings[Int(random.next() % UInt64(strings.count))]))
        case 8:
            return [.fuzz(.null), .fuzz(.bool(true)), .fuzz(.bool(false)), .fuzz(.array([])), .fuzz(.object([]))][
                Int(random.next() % 5)]
        default:
            // Long lists cost parse time, so only a hundred: ProfileLimitsTests covers 10,001 requests.
            let item = strings[Int(random.next() % UInt64(strings.count))]
            let count = [2, 100][Int(random.next() % 2)]
            return .fuzz(.array(Array(repeating: .fuzz(.string(item)), count: count)))
        }
    }

    /// A value of the same JSON type as `original`: a number for a number, a string for a string,
    /// so the change is about the value (an extreme, a unit edge) rather than the type.
    static func pick(like original: ProfileJSON, using random: inout SplitMix64) -> ProfileJSON {
        switch original.kind {
        case .number: .fuzz(.number(numbers[Int(random.next() % UInt64(numbers.count))]))
        case .string: .fuzz(.string(strings[Int(random.next() % UInt64(strings.count))]))
        case .bool(let flag): .fuzz(.bool(!flag))
        default: pick(using: &random)
        }
    }

    /// A change to a field name: a typo, another case, a stray character.
    static func misspell(using random: inout SplitMix64) -> (String) -> String {
        switch random.next() % 4 {
        case 0: { String($0.dropLast()) }
        case 1: { $0.uppercased() }
        case 2: { $0 + "\u{200B}" }
        default: { _ in "" }
        }
    }
}

/// Paths into a JSON tree, and the tree written back as JSON (keeping repeated keys).
enum FuzzTree {
    enum Step: Equatable {
        case member(Int)
        case item(Int)
    }

    static func places(in root: ProfileJSON) -> [(steps: [Step], value: ProfileJSON)] {
        var result: [(steps: [Step], value: ProfileJSON)] = [([], root)]
        func walk(_ value: ProfileJSON, _ steps: [Step]) {
            switch value.kind {
            case .object(let members):
                for (index, member) in members.enumerated() {
                    result.append((steps + [.member(index)], member.value))
                    walk(member.value, steps + [.member(index)])
                }
            case .array(let items):
                for (index, item) in items.prefix(20).enumerated() {
                    result.append((steps + [.item(index)], item))
                    walk(item, steps + [.item(index)])
                }
            default:
                break
            }
        }
        walk(root, [])
        return result
    }

    /// The steps to the object at a dotted path (`target.tenantd`); the root for "".
    static func objectSteps(_ path: String, in root: ProfileJSON) -> [Step] {
        var steps: [Step] = []
        var value = root
        for key in path.split(separator: ".") {
            guard case .object(let members) = value.kind, let index = members.firstIndex(where: { $0.key == key }) else {
                break
            }
            steps.append(.member(index))
            value = members[index].value
        }
        return steps
    }

    static func memberOf(_ steps: [Step]) -> (parent: [Step], index: Int)? {
        guard case .member(let index)? = steps.last else { return nil }
        return (Array(steps.dropLast()), index)
    }

    static func modify(_ value: inout ProfileJSON, at steps: [Step], _ body: (inout ProfileJSON) -> Void) {
        guard let first = steps.first else { return body(&value) }
        let rest = Array(steps.dropFirst())
        switch (first, value.kind) {
        case (.member(let index), .object(var members)) where index < members.count:
            modify(&members[index].value, at: rest, body)
            value = .fuzz(.object(members))
        case (.item(let index), .array(var items)) where index < items.count:
            modify(&items[index], at: rest, body)
            value = .fuzz(.array(items))
        default:
            break
        }
    }

    static func describe(_ steps: [Step], in root: ProfileJSON) -> String {
        var parts: [String] = []
        var value = root
        for step in steps {
            switch (step, value.kind) {
            case (.member(let index), .object(let members)) where index < members.count:
                parts.append(members[index].key)
                value = members[index].value
            case (.item(let index), .array(let items)) where index < items.count:
                parts.append("[\(index)]")
                value = items[index]
            default:
                return parts.joined(separator: ".")
            }
        }
        return parts.isEmpty ? "(root)" : parts.joined(separator: ".")
    }

    static func text(_ value: ProfileJSON) -> String {
        switch value.kind {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text): text
        case .string(let text): quote(text)
        case .array(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { quote($0.key) + ": " + text($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension ProfileJSON {
    /// A value for a mutated tree; offsets do not matter, the tree is written out and read again.
    static func fuzz(_ kind: Kind) -> ProfileJSON { ProfileJSON(kind: kind, offset: 0) }
}
