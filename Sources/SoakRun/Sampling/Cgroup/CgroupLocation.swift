import Glibc
import PosixSupport

/// Where a process's memory cgroup is, from `/proc/<pid>/cgroup` and `/proc/self/mountinfo`.
///
/// cgroup v2 (one unified hierarchy, a `0::/path` line) is used when its directory has
/// `memory.current`; otherwise the v1 `memory` controller's hierarchy (a `N:memory:/path` line).
/// A hybrid machine, v1 controllers beside an empty v2 hierarchy as here, reads v1.
package struct CgroupLocation: Sendable, Equatable {
    package enum Version: String, Sendable { case v1, v2 }

    package var version: Version
    /// The cgroup's directory (`/sys/fs/cgroup/system.slice/app.service`).
    package var directory: String
    /// The cgroup as `/proc/<pid>/cgroup` names it, for messages and for comparing two processes.
    package var path: String

    package init(version: Version, directory: String, path: String) {
        self.version = version
        self.directory = directory
        self.path = path
    }

    /// Locates `pid`'s memory cgroup. `fileSystemRoot` prefixes every path read (tests point it
    /// at a fixture tree); `exists` says whether a file is there.
    package static func locate(
        pid: String, fileSystemRoot: String = "", exists: (String) -> Bool = FileSystem.isReadable
    ) -> Result<CgroupLocation, CgroupError> {
        guard let membership = read(fileSystemRoot + "/proc/\(pid)/cgroup") else {
            return .failure(CgroupError("cannot read /proc/\(pid)/cgroup"))
        }
        guard let mountinfo = read(fileSystemRoot + "/proc/self/mountinfo") else {
            return .failure(CgroupError("cannot read /proc/self/mountinfo"))
        }
        let groups = CgroupMembership(parsing: membership)
        let mounts = CgroupMounts(parsing: mountinfo)
        if let path = groups.unified, let mount = mounts.unified {
            let directory = fileSystemRoot + mount.directory(for: path)
            if exists(directory + "/memory.current") {
                return .success(CgroupLocation(version: .v2, directory: directory, path: path))
            }
        }
        if let path = groups.v1Memory, let mount = mounts.v1Memory {
            let directory = fileSystemRoot + mount.directory(for: path)
            if exists(directory + "/memory.usage_in_bytes") {
                return .success(CgroupLocation(version: .v1, directory: directory, path: path))
            }
            return .failure(CgroupError("the memory cgroup \(path) has no memory.usage_in_bytes under \(directory)"))
        }
        return .failure(CgroupError("no memory cgroup for pid \(pid): neither a cgroup v2 hierarchy with "
            + "memory.current nor a v1 memory controller is mounted"))
    }

    private static func read(_ path: String) -> String? {
        let buffer = ProcReadBuffer(capacity: 16_384)
        return withExtendedLifetime(buffer) {
            guard case .bytes(let bytes) = buffer.read(path: path) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// The lines of `/proc/<pid>/cgroup`: `hierarchy-id:controllers:path`.
struct CgroupMembership: Equatable {
    /// The path in the v1 hierarchy that has the `memory` controller.
    var v1Memory: String?
    /// The path in the v2 unified hierarchy (`0::/path`).
    var unified: String?

    init(parsing text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0", fields[1].isEmpty {
                unified = String(fields[2])
            } else if fields[1].split(separator: ",").contains("memory") {
                v1Memory = String(fields[2])
            }
        }
    }
}

/// The cgroup file systems of `/proc/self/mountinfo`.
struct CgroupMounts: Equatable {
    /// A mounted hierarchy: the cgroup shown at its root, and where it is mounted.
    struct Mount: Equatable {
        var root: String
        var mountPoint: String

        /// The directory of cgroup `path` (as `/proc/<pid>/cgroup` gives it) under this mount.
        func directory(for path: String) -> String {
            var relative = path
            if root != "/", relative.hasPrefix(root) { relative = String(relative.dropFirst(root.count)) }
            if relative == "/" || relative.isEmpty { return mountPoint }
            return mountPoint + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
    }

    var v1Memory: Mount?
    var unified: Mount?

    /// Fields: id parent major:minor root mount-point options [optional...] - fstype source super-options.
    init(parsing text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let separator = fields.firstIndex(of: "-"), separator >= 5, separator + 3 <= fields.count else {
                continue
            }
            let type = fields[separator + 1]
            let mount = Mount(root: Self.unescape(fields[3]), mountPoint: Self.unescape(fields[4]))
            if type == "cgroup2" {
                if unified == nil { unified = mount }
            } else if type == "cgroup", fields.count > separator + 3,
                      fields[separator + 3].split(separator: ",").contains("memory") {
                if v1Memory == nil { v1Memory = mount }
            }
        }
    }

    /// mountinfo writes space, tab, newline and backslash in paths as `\ooo` octal escapes.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a cgroup cannot be read.
package struct CgroupError: Error, Equatable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
