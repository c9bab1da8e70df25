import Glibc
import SoakAnalysis
import SoakProfiles

/// A command target's memory cgroup, when it has one of its own: its usage, anonymous memory and
/// page cache. A target in the harness's own cgroup records nothing here, since the group's
/// figures would count the harness and everything beside it.
package final class CgroupSource: MetricSource {
    package let columns = DeclaredColumns.cgroup.map(\.rawValue)
    private var reader: CgroupMemoryReader?
    private var located = false
    private var notice = SourceNotice(source: "cgroup")

    package init() {}

    /// Reads the group at `location` whatever the processes' own membership says: the group
    /// `soak watch --cgroup` was given.
    package init(location: CgroupLocation) {
        located = true
        do {
            reader = try CgroupMemoryReader(location: location)
        } catch {
            notice.set("\(error)")
        }
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        if !located, let root = tree.first {
            located = true
            locate(root)
        }
        guard let reader else { return }
        let memory = reader.read()
        row.declared["cgroup_usage"] = memory.usageBytes.map(Double.init)
        row.declared["cgroup_anon"] = memory.anonBytes.map(Double.init)
        row.declared["cgroup_file"] = memory.fileBytes.map(Double.init)
    }

    private func locate(_ pid: pid_t) {
        switch (CgroupLocation.locate(pid: String(pid)), CgroupLocation.locate(pid: "self")) {
        case (.success(let target), .success(let own)) where target.path == own.path:
            notice.set("the target shares soak's memory cgroup \(target.path), whose figures would count soak and "
                + "everything beside it; cgroup columns are left empty (run the target in a cgroup of its own)")
        case (.success(let target), _):
            do {
                reader = try CgroupMemoryReader(location: target)
            } catch {
                notice.set("\(error)")
            }
        case (.failure(let error), _):
            notice.set("\(error)")
        }
    }

    package func takeNotice() -> String? { notice.take() }
}
