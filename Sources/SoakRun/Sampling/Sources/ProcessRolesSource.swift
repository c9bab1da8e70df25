import Glibc
import SoakAnalysis
import SoakProfiles

/// Per-process columns for a target that is a tree of roles (`tenantd fleet`: a front and its
/// nodes): each process's RSS, anonymous RSS, descriptors and threads, the root's under its role
/// name and each child's under its slot (`front_rss`, `node0_rss_anon`, …), with each slot's pid.
///
/// A child's own descendants count towards its slot. A slot no process holds is written empty
/// (missing), never zero, and so is a figure any of its processes could not be read for; the
/// judge skips missing values, so a node that lived part of the run is judged on the samples it
/// was there for.
///
/// The tree is discovered again at every trough, every `refreshEvery`-th periodic sample and after
/// any tracked process exits, so a node started by a scale-up is seen within a few samples.
package final class ProcessRolesSource: MetricSource {
    package let columns: [String]
    private let roles: Profile.ProcessRoles
    private let refreshEvery: Int
    private let buffer = ProcReadBuffer()
    private let discovery = ProcessTreeDiscovery()
    private let counter = ProcDescriptorCounter()
    private var root: pid_t?
    private var tracked: [pid_t: TrackedProcess] = [:]
    private var slots: ProcessSlots
    private var samplesUntilRefresh = 0
    private var notice = SourceNotice(source: "processes")
    /// Every child of the root seen so far, for the orphan check after teardown.
    package private(set) var childrenSeen: Set<pid_t> = []
    /// The root's children at the last sample.
    package private(set) var children: [pid_t] = []
    /// Whether each child seen is of the slotted role (read once from its command line).
    private var slotted: [pid_t: Bool] = [:]
    private var rootCommandLine: [UInt8]?

    package init(roles: Profile.ProcessRoles, columns: [String], refreshEvery: Int = 4) {
        self.roles = roles
        self.columns = columns
        self.refreshEvery = max(1, refreshEvery)
        slots = ProcessSlots(count: roles.slots)
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        if root == nil { root = tree.first }
        guard let root else { return }
        if kind == .trough || samplesUntilRefresh <= 0 {
            refresh(root: root)
            samplesUntilRefresh = refreshEvery
        }
        samplesUntilRefresh -= 1
        var readings: [pid_t: (parent: pid_t?, figures: ProcessFigures)] = [:]
        for (pid, process) in tracked {
            guard let reading = process.read(into: buffer, files: [.status, .fds], counter: counter) else {
                tracked[pid] = nil
                samplesUntilRefresh = 0
                continue
            }
            readings[pid] = (reading.stat.ppid, ProcessFigures(reading))
        }
        guard let front = readings[root] else { return }
        write(front.figures, prefix: roles.root, into: &row)
        children = readings.filter { $0.value.parent == root }.map(\.key).sorted()
        childrenSeen.formUnion(children)
        slots.assign(children: children.filter(isSlotted))
        var perSlot: [Int: ProcessFigures] = [:]
        for (pid, entry) in readings where pid != root {
            guard let slot = slotHolding(pid, readings: readings, root: root) else { continue }
            perSlot[slot] = perSlot[slot].map { $0.adding(entry.figures) } ?? entry.figures
        }
        for (slot, figures) in perSlot {
            let prefix = roles.prefix(slot: slot)
            write(figures, prefix: prefix, into: &row)
            row.declared["\(prefix)_pid"] = slots.occupants[slot].map(Double.init)
        }
        notice.set(slots.unslotted > 0
            ? "\(slots.unslotted) \(roles.children) process(es) beyond the \(roles.slots) slots have no columns"
            : nil)
    }

    package func takeNotice() -> String? { notice.take() }

    /// Samples once more, now, so `children` is the tree as it stands.
    package func refreshChildren() {
        var row = SampleRow()
        read(kind: .trough, tree: root.map { [$0] } ?? [], into: &row)
    }

    /// Whether `child` takes a slot: not when its first argument names another role. A child
    /// still showing its parent's command line has not yet exec'd: it waits for the next look.
    private func isSlotted(_ child: pid_t) -> Bool {
        if let known = slotted[child] { return known }
        guard let prefix = roles.otherChildrenArgument else { return true }
        guard let arguments = commandLine(child) else { return false }
        if rootCommandLine == nil, let root { rootCommandLine = commandLine(root) }
        if arguments == rootCommandLine { return false }
        let first = arguments.split(separator: 0, omittingEmptySubsequences: false).dropFirst().first
        let isOther = first.map { String(decoding: $0, as: UTF8.self).hasPrefix(prefix) } ?? false
        if slotted.count > 4096 { slotted = slotted.filter { children.contains($0.key) } }
        slotted[child] = !isOther
        return !isOther
    }

    private func commandLine(_ pid: pid_t) -> [UInt8]? {
        guard case .bytes(let bytes) = buffer.read(path: "/proc/\(pid)/cmdline") else { return nil }
        return Array(bytes)
    }

    /// The slot of the root's child that `pid` is, or descends from.
    private func slotHolding(
        _ pid: pid_t, readings: [pid_t: (parent: pid_t?, figures: ProcessFigures)], root: pid_t
    ) -> Int? {
        var current = pid
        for _ in 0..<64 {
            guard let parent = readings[current]?.parent else { return nil }
            if parent == root { return slots.slot(of: current) }
            current = parent
        }
        return nil
    }

    private func refresh(root: pid_t) {
        let pids = discovery.tree(of: root, buffer: buffer)
        var next: [pid_t: TrackedProcess] = [:]
        for pid in pids {
            if let process = tracked[pid] ?? TrackedProcess(pid: pid, files: [.status, .fds]) { next[pid] = process }
        }
        tracked = next
    }

    private func write(_ figures: ProcessFigures, prefix: String, into row: inout SampleRow) {
        row.declared["\(prefix)_rss"] = figures.rss.map(Double.init)
        row.declared["\(prefix)_rss_anon"] = figures.rssAnon.map(Double.init)
        row.declared["\(prefix)_fds"] = figures.fds.map(Double.init)
        row.declared["\(prefix)_threads"] = figures.threads.map(Double.init)
    }
}

/// One process's figures, or a slot's sums; nil where any process could not be read.
struct ProcessFigures: Equatable {
    var rss: Int?
    var rssAnon: Int?
    var fds: Int?
    var threads: Int?

    init(rss: Int?, rssAnon: Int?, fds: Int?, threads: Int?) {
        self.rss = rss
        self.rssAnon = rssAnon
        self.fds = fds
        self.threads = threads
    }

    init(_ reading: TrackedProcess.Reading) {
        self.init(rss: reading.status.rssBytes, rssAnon: reading.status.rssAnonBytes, fds: reading.fds,
                  threads: reading.status.threads)
    }

    /// Sums; a missing figure on either side makes the sum missing (a partial sum would read as a drop).
    func adding(_ other: ProcessFigures) -> ProcessFigures {
        func sum(_ left: Int?, _ right: Int?) -> Int? { left.flatMap { left in right.map { left + $0 } } }
        return ProcessFigures(rss: sum(rss, other.rss), rssAnon: sum(rssAnon, other.rssAnon),
                              fds: sum(fds, other.fds), threads: sum(threads, other.threads))
    }
}
