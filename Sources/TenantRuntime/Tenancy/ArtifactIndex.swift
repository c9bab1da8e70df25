/// The artifact names of one loaded tenant, as the artifacts folder listed them: what a tenant
/// load builds instead of one object per artifact.
///
/// The names are packed end to end in one byte buffer, with one end offset per name and an
/// open-addressing hash table of name numbers: three allocations of about 24 bytes per artifact,
/// rather than an object, a lock and a dictionary entry each. Building it makes no `String`, and
/// does not sort: a profile of the first request to a cold tenant of 300 artifacts showed the
/// sort of their names, and the `String`s made from directory entries, as the costs that grew
/// with the count. `Tenant` builds an `Artifact` from an entry only when a request first touches it.
struct ArtifactIndex: Sendable {
    /// Every name's UTF-8 bytes, back to back, in the order added.
    private var bytes: [UInt8] = []
    /// `ends[i]` is where name `i` ends in `bytes`; it starts where name `i - 1` ended.
    private var ends: [UInt32] = []
    /// Name numbers by hash, linear probing; -1 is empty. Its size is a power of two at least
    /// twice the names, so probes stay short.
    private var table: [Int32] = []

    /// An index of nothing, to `add` names to.
    init() {}

    /// An index of `entries` (for tests and callers that already hold strings).
    init<Entries: Sequence<String>>(entries: Entries) {
        for var entry in entries { entry.withUTF8 { add($0) } }
    }

    /// Adds a directory entry when it is a name the runtime could serve (a valid registry name
    /// whose extension is a kind, like `a1.service`); anything else is left out. A name already
    /// present is not added twice.
    mutating func add(_ name: UnsafeBufferPointer<UInt8>) {
        guard RegistryName.isValid(name), Self.kind(ofFileName: name) != nil, position(of: name) == nil else { return }
        bytes.append(contentsOf: name)
        ends.append(UInt32(bytes.count))
        if table.count < ends.count * 2 { rebuildTable(capacity: max(16, table.count * 2)) } else { insert(ends.count - 1) }
    }

    /// How many artifacts the tenant has.
    var count: Int { ends.count }

    /// The artifact a request path names (`a1.service`), or nil when the tenant has none by that name.
    func artifact(named fileName: String) -> ArtifactID? {
        var key = fileName
        guard key.withUTF8({ position(of: $0) }) != nil, let name = try? RegistryName(fileName) else { return nil }
        return ArtifactID(fileName: name)
    }

    /// Every artifact, sorted by file name; for `--no-ghost`, which deploys them all at load.
    var all: [ArtifactID] {
        (0..<count).compactMap { index in
            let text = String(decoding: bytes[range(of: index)], as: UTF8.self)
            return (try? RegistryName(text)).flatMap(ArtifactID.init(fileName:))
        }
        .sorted()
    }

    /// The kind an entry's extension names (the bytes after its last dot, which is not the first
    /// byte), as `ArtifactID(fileName:)` reads it.
    static func kind(ofFileName name: UnsafeBufferPointer<UInt8>) -> ArtifactKind? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return nil }
        let suffix = name[(dot + 1)...]
        return ArtifactKind.allCases.first { $0.rawValue.utf8.elementsEqual(suffix) }
    }

    private func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !table.isEmpty else { return nil }
        let mask = table.count - 1
        var slot = Self.hash(key) & mask
        while table[slot] >= 0 {
            let index = Int(table[slot])
            if bytes[range(of: index)].elementsEqual(key) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ index: Int) {
        let mask = table.count - 1
        var slot = bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[range(of: index)])) } & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        table[slot] = Int32(index)
    }

    private mutating func rebuildTable(capacity: Int) {
        table = [Int32](repeating: -1, count: capacity)
        for index in 0..<ends.count { insert(index) }
    }

    private func range(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])
    }

    /// FNV-1a, a few instructions per byte. Unkeyed is safe here: the table holds only names the
    /// registry's owner put in the folder, so a request's name can only walk a probe chain those
    /// names made, never lengthen one.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash)
    }
}
