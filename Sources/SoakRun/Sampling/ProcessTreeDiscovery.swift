import Glibc
import PosixSupport

/// Finds a process and all its descendants.
///
/// Preferred: `/proc/PID/task/TID/children` (Linux 3.5+ with CONFIG_PROC_CHILDREN, present
/// here), which lists the children each thread forked, so a walk from the root reads only the
/// tree's own files. Without it, one pass over every `/proc/N/stat` builds the parent map.
/// Either way this allocates and costs a few system calls per thread, which is why the sampler
/// runs it on a period rather than on every sample.
struct ProcessTreeDiscovery {
    /// Whether the kernel has the per-thread `children` files.
    let hasChildrenFiles: Bool

    init() {
        hasChildrenFiles = FileSystem.isReadable("/proc/self/task/\(getpid())/children")
    }

    /// The root followed by its descendants, parents before children; empty when the root is gone.
    func tree(of root: pid_t, buffer: ProcReadBuffer) -> [pid_t] {
        hasChildrenFiles ? walkChildrenFiles(from: root, buffer: buffer) : scanParents(from: root, buffer: buffer)
    }

    private func walkChildrenFiles(from root: pid_t, buffer: ProcReadBuffer) -> [pid_t] {
        var tree: [pid_t] = []
        var seen: Set<pid_t> = []
        var queue: [pid_t] = [root]
        var next = 0
        while next < queue.count {
            let pid = queue[next]
            next += 1
            // The task list is read first; a pid whose list is gone exited and has no subtree.
            guard seen.insert(pid).inserted, let threads = Self.numericEntries(of: "/proc/\(pid)/task") else {
                continue
            }
            tree.append(pid)
            for thread in threads {
                guard case .bytes(let bytes) = buffer.read(path: "/proc/\(pid)/task/\(thread)/children") else {
                    continue
                }
                Self.forEachNumber(in: bytes) { queue.append(pid_t(truncatingIfNeeded: $0)) }
            }
        }
        return tree
    }

    private func scanParents(from root: pid_t, buffer: ProcReadBuffer) -> [pid_t] {
        guard FileSystem.exists("/proc/\(root)") else { return [] }
        var children: [pid_t: [pid_t]] = [:]
        for pid in Self.numericEntries(of: "/proc") ?? [] {
            guard case .bytes(let bytes) = buffer.read(path: "/proc/\(pid)/stat"),
                  let ppid = ProcStat(parsing: bytes).ppid
            else { continue }
            children[ppid, default: []].append(pid)
        }
        var tree: [pid_t] = [root]
        var seen: Set<pid_t> = [root]
        var next = 0
        while next < tree.count {
            for child in children[tree[next]] ?? [] where seen.insert(child).inserted {
                tree.append(child)
            }
            next += 1
        }
        return tree
    }

    /// The all-digit entry names of a directory (pids or tids); nil when it cannot be opened.
    static func numericEntries(of path: String) -> [pid_t]? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var numbers: [pid_t] = []
        while let entry = readdir(stream) {
            let number = withUnsafeBytes(of: entry.pointee.d_name) { name -> Int? in
                let length = name.firstIndex(of: 0) ?? name.count
                return ProcBytes.unsignedDecimal(in: UnsafeRawBufferPointer(rebasing: name[0..<length]), from: 0)
                    .flatMap { $0.end == length && name[0] != ProcBytes.space ? $0.value : nil }
            }
            if let number, let pid = pid_t(exactly: number) { numbers.append(pid) }
        }
        return numbers
    }

    /// Calls `body` with each space-separated decimal in `bytes` (a `children` file).
    static func forEachNumber(in bytes: UnsafeRawBufferPointer, _ body: (Int) -> Void) {
        var position = 0
        while let (value, end) = ProcBytes.unsignedDecimal(in: bytes, from: position) {
            body(value)
            position = end
        }
    }
}
