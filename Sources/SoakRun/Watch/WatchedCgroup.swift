import Glibc
import PosixSupport

/// A cgroup that soak did not create (a systemd service, a container), given by the user as its
/// directory (`/sys/fs/cgroup/system.slice/app.service`) or as `/proc/PID/cgroup` names it
/// (`/system.slice/app.service`).
package enum WatchedCgroup {
    /// Finds the group's directory and version; the error names what is missing.
    ///
    /// A name that is not a directory is looked up under the mounted hierarchies: v2 first, then
    /// v1's memory controller, as `CgroupLocation` does for a process.
    package static func locate(_ given: String, fileSystemRoot: String = "") throws(WatchError) -> CgroupLocation {
        guard !given.isEmpty else { throw WatchError("--cgroup: expected a cgroup directory or path, found nothing") }
        var candidates = [given]
        if let mountinfo = ProcStatFields.readText(fileSystemRoot + "/proc/self/mountinfo") {
            let mounts = CgroupMounts(parsing: mountinfo)
            let path = given.hasPrefix("/") ? given : "/" + given
            for mount in [mounts.unified, mounts.v1Memory].compactMap({ $0 }) {
                candidates.append(fileSystemRoot + mount.directory(for: path))
            }
        }
        for directory in candidates {
            let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
            if FileSystem.isReadable(trimmed + "/memory.current") {
                return CgroupLocation(version: .v2, directory: trimmed, path: given)
            }
            if FileSystem.isReadable(trimmed + "/memory.usage_in_bytes") {
                return CgroupLocation(version: .v1, directory: trimmed, path: given)
            }
        }
        let looked = candidates.joined(separator: ", ")
        throw WatchError("--cgroup \(given): no memory cgroup there (looked for memory.current or "
            + "memory.usage_in_bytes in \(looked)); give the group's directory under /sys/fs/cgroup")
    }

    /// The pids in the group's `cgroup.procs`; nil when the group is gone (removed, or unreadable).
    package static func members(of location: CgroupLocation) -> [pid_t]? {
        guard let text = ProcStatFields.readText(location.directory + "/cgroup.procs") else { return nil }
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }
}
