import Glibc
import PosixSupport

/// The outside programs stacks are symbolized with, each optional: `addr2line` (binutils) for
/// function names from an object's symbol table, `swift-demangle` (or `swift demangle`) for Swift
/// names, `c++filt` for C++ ones. A missing tool leaves its names as they were.
package struct SymbolTools: Sendable {
    /// Runs a program and returns its stdout, nil when it cannot start or fails.
    package var run: @Sendable (_ executable: String, _ arguments: [String]) -> String?
    /// Whether an object file can still be read (a run folder judged on another machine cannot).
    package var readable: @Sendable (_ path: String) -> Bool

    package init(
        run: @escaping @Sendable (String, [String]) -> String? = SymbolTools.launch,
        readable: @escaping @Sendable (String) -> Bool = { FileSystem.isReadable($0) }
    ) {
        self.run = run
        self.readable = readable
    }

    /// Function names for `offsets` in `module`, in order; nil entries where addr2line knows none.
    package func functionNames(module: String, offsets: [UInt64]) -> [String?] {
        var names: [String?] = []
        // Chunks keep each command line far below ARG_MAX.
        for start in stride(from: 0, to: offsets.count, by: 400) {
            let chunk = Array(offsets[start..<min(offsets.count, start + 400)])
            let arguments = ["-f", "-e", module] + chunk.map { "0x" + String($0, radix: 16) }
            guard let output = run("addr2line", arguments) else { return offsets.map { _ in nil } }
            // Two lines per address: the function, then file:line.
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for index in chunk.indices {
                let name = 2 * index < lines.count ? lines[2 * index] : "??"
                names.append(name == "??" || name.isEmpty ? nil : name)
            }
        }
        return names
    }

    /// `names` demangled where a demangler knows them; the others as they were.
    package func demangle(_ names: [String]) -> [String: String] {
        var result: [String: String] = [:]
        let swift = names.filter { $0.hasPrefix("$s") || $0.hasPrefix("_$s") || $0.hasPrefix("$S") || $0.hasPrefix("_T0") }
        if !swift.isEmpty {
            let output = run("swift-demangle", ["--simplified", "--compact"] + swift)
                ?? run("swift", ["demangle", "--simplified", "--compact"] + swift)
            Self.pair(swift, output, into: &result)
        }
        let cxx = names.filter { $0.hasPrefix("_Z") }
        if !cxx.isEmpty { Self.pair(cxx, run("c++filt", cxx), into: &result) }
        return result
    }

    private static func pair(_ names: [String], _ output: String?, into result: inout [String: String]) {
        guard let output else { return }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, name) in names.enumerated() where index < lines.count && !lines[index].isEmpty {
            result[name] = lines[index]
        }
    }

    /// Runs `executable` (looked up on PATH) and returns its output when it succeeds.
    @Sendable package static func launch(_ executable: String, _ arguments: [String]) -> String? {
        try? ToolOutput.run(executable, arguments).get()
    }
}
