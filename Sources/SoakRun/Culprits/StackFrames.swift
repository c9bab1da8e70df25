import FoundationEssentials
import Glibc

/// The symbolized frames of each sampled stack of a run, by stack id, made once at the end.
///
/// `stacks.jsonl` holds each stack's return addresses with their file and offset; this names them
/// with addr2line and the demanglers (`SymbolTools`) and keeps the result in `stack-symbols.json`,
/// so judging the folder again runs no tool for stacks already named. Frames inside the allocator
/// and the language runtime (malloc, operator new, swift_allocObject, the Swift standard library)
/// are left off the front, so the first frame is the code that asked for the memory.
package enum StackFrames {
    struct Frame: Decodable {
        var address: String
        var module: String?
        var offset: String?
    }

    struct Stack: Decodable {
        var id: String
        var frames: [Frame]
    }

    /// Frames per stack id, innermost first; empty when the run sampled no stacks.
    package static func load(_ folder: RunFolder, tools: SymbolTools = SymbolTools()) -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: folder.stacks) else { return [:] }
        var known = (FileManager.default.contents(atPath: folder.stackSymbols))
            .flatMap { try? JSONDecoder().decode([String: [String]].self, from: $0) } ?? [:]
        let stacks = data.split(separator: UInt8(ascii: "\n"))
            .compactMap { try? JSONDecoder().decode(Stack.self, from: Data($0)) }
        let missing = stacks.filter { known[$0.id] == nil }
        guard !missing.isEmpty else { return known }
        for (id, frames) in symbolize(missing, tools: tools) { known[id] = frames }
        // Best effort: a folder that cannot be written is symbolized again next time.
        try? RunFileJSON.write(known, to: folder.stackSymbols)
        return known
    }

    static func symbolize(_ stacks: [Stack], tools: SymbolTools) -> [String: [String]] {
        // One addr2line per module over every offset wanted from it.
        var offsets: [String: Set<UInt64>] = [:]
        for frame in stacks.flatMap(\.frames) {
            if let module = frame.module, let offset = frame.offset.flatMap(hex) { offsets[module, default: []].insert(offset) }
        }
        var names: [String: [UInt64: String]] = [:]
        for (module, set) in offsets where tools.readable(module) {
            let sorted = set.sorted()
            for (offset, name) in zip(sorted, tools.functionNames(module: module, offsets: sorted)) {
                if let name { names[module, default: [:]][offset] = name }
            }
        }
        let demangled = tools.demangle(Array(Set(names.values.flatMap(\.values))).sorted())
        var result: [String: [String]] = [:]
        for stack in stacks {
            let frames = stack.frames.map { frame -> (text: String, runtime: Bool) in
                guard let module = frame.module, let offset = frame.offset.flatMap(hex) else {
                    return (frame.address, false)
                }
                let file = module.split(separator: "/").last.map(String.init) ?? module
                guard let raw = names[module]?[offset] else {
                    return ("\(file)+0x\(String(offset, radix: 16))", isRuntime(file: file, name: nil))
                }
                let name = demangled[raw] ?? raw
                return ("\(name) (\(file))", isRuntime(file: file, name: name) || isRuntime(mangled: raw))
            }
            result[stack.id] = Array(frames.drop(while: \.runtime).map(\.text))
        }
        return result
    }

    /// Frames of the allocator and the language runtime, which say nothing about the caller.
    static func isRuntime(file: String, name: String?) -> Bool {
        let runtimeFiles = ["libc.so", "libc-", "libstdc++", "libswiftCore", "libSoakHeap", "ld-linux", "libgcc_s"]
        if runtimeFiles.contains(where: { file.hasPrefix($0) }) { return true }
        guard let name else { return false }
        let runtimeNames = ["malloc", "calloc", "realloc", "free", "operator new", "swift_", "Swift.", "_swift",
                            "__libc_", "posix_memalign", "aligned_alloc", "strdup"]
        return runtimeNames.contains { name.hasPrefix($0) }
    }

    /// The Swift standard library and runtime by their mangled names, which say the module where
    /// the simplified demangled ones do not: `$ss…` (module Swift), `$sS…` (a standard type such as
    /// `Sa`, Array), and the C++ runtime in namespace `swift`.
    static func isRuntime(mangled name: String) -> Bool {
        ["$ss", "$sS", "_$ss", "_$sS", "_ZN5swift", "_ZNK5swift", "__swift", "swift_"].contains { name.hasPrefix($0) }
    }

    private static func hex(_ text: String) -> UInt64? {
        UInt64(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16)
    }
}
