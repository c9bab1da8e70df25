import FoundationEssentials
import Glibc

/// Which file each address of a process comes from, read from `/proc/<pid>/maps`, and the address
/// a symbolizer wants for it: the offset from the file's load base for a position-independent
/// object (a shared library, a PIE executable), the address itself for a fixed-address one.
package struct ProcessModules: Sendable {
    private struct Mapping: Sendable {
        var start: UInt64
        var end: UInt64
        var path: String
    }

    private var mappings: [Mapping] = []
    /// Per path, the lowest start of its mappings: the load base.
    private var bases: [String: UInt64] = [:]
    private var fixedAddress: [String: Bool] = [:]

    /// The modules of `pid` now; empty when its maps cannot be read (it exited).
    package init(pid: pid_t) {
        self.init(maps: (try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)) ?? "")
    }

    /// Parses maps text: `start-end perms offset dev inode path`.
    package init(maps text: String, isFixedAddress: (String) -> Bool = ProcessModules.isFixedAddressELF) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            // The path column is padded with spaces, and a path may hold spaces itself.
            guard fields.count == 6 else { continue }
            let path = String(fields[5].drop { $0 == " " })
            guard path.hasPrefix("/") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16)
            else { continue }
            mappings.append(Mapping(start: start, end: end, path: path))
            bases[path] = min(bases[path] ?? .max, start)
        }
        for path in bases.keys { fixedAddress[path] = isFixedAddress(path) }
    }

    /// The file holding `address` and the address to give addr2line; nil outside any file.
    package func locate(_ address: UInt64) -> (module: String, offset: UInt64)? {
        guard let mapping = mappings.first(where: { $0.start <= address && address < $0.end }) else { return nil }
        if fixedAddress[mapping.path] == true { return (mapping.path, address) }
        return (mapping.path, address - (bases[mapping.path] ?? mapping.start))
    }

    /// True for an ELF executable of type ET_EXEC, linked at a fixed address.
    package static func isFixedAddressELF(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 18)
        guard fread(&header, 1, 18, file) == 18, header[0] == 0x7f, header[1] == 0x45 else { return false }
        return header[16] == 2 && header[17] == 0 // e_type ET_EXEC, little-endian
    }
}
