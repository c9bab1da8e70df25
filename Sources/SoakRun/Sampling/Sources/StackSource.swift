import Glibc
import SoakAnalysis

/// `heap: {"kind": "glibc", "stacks": true}`: the live bytes of each sampled allocation stack,
/// read from the tables libSoakHeapStacks.so keeps inside the target's processes.
///
/// At each scheduled sample (the troughs) it records a `stacks` culprit reading; the first time a
/// stack appears, its frames go to `stacks.jsonl` with the file and offset of each return address
/// (from /proc/<pid>/maps, while the process is alive), so the judge can symbolize them at the
/// end, once, after the target is gone.
package final class StackSource: MetricSource {
    package let columns: [String] = []
    private let tables: StackTables
    private let schedule: CulpritSchedule
    private let log: LineFile?
    private var described: Set<String> = []
    private var notice = SourceNotice(source: "heap stacks")

    /// Reads the tables in `directory`; writes new stacks' frames to `stacksLog`.
    package init(directory: String, stacksLog: String, schedule: CulpritSchedule) {
        tables = StackTables(directory: directory)
        self.schedule = schedule
        log = try? LineFile(path: stacksLog)
    }

    package func read(kind: SampleKind, tree: [pid_t], into row: inout SampleRow) {
        guard schedule.reads(at: kind), !tree.isEmpty else { return }
        guard let stacks = tables.read(pids: tree) else {
            notice.set("no stack table from the target: libSoakHeapStacks.so was not loaded (a static or setuid "
                + "program, or one that clears LD_PRELOAD), so no allocation stacks are recorded")
            return
        }
        notice.set(nil)
        var values: [String: Double] = [:]
        var counts: [String: Double] = [:]
        var modules: [pid_t: ProcessModules] = [:]
        for stack in stacks {
            values[stack.id] = stack.liveBytes
            counts[stack.id] = stack.liveCount
            guard !described.contains(stack.id) else { continue }
            described.insert(stack.id)
            if modules[stack.pid] == nil { modules[stack.pid] = ProcessModules(pid: stack.pid) }
            log?.append(Self.line(stack, modules: modules[stack.pid]!))
        }
        row.culprits.append(CulpritReading(source: .stacks, unit: .bytes, values: values, counts: counts))
    }

    package func takeNotice() -> String? { notice.take() }

    /// `{"id": ..., "pid": ..., "frames": [{"address": "0x…", "module": "/…", "offset": "0x…"}]}`.
    static func line(_ stack: SampledStack, modules: ProcessModules) -> String {
        var text = "{\"id\":"
        JSONLine.appendQuoted(stack.id, to: &text)
        text += ",\"pid\":\(stack.pid),\"frames\":["
        for (index, address) in stack.frames.enumerated() {
            if index > 0 { text += "," }
            text += "{\"address\":\"0x\(String(address, radix: 16))\""
            if let place = modules.locate(address) {
                text += ",\"module\":"
                JSONLine.appendQuoted(place.module, to: &text)
                text += ",\"offset\":\"0x\(String(place.offset, radix: 16))\""
            }
            text += "}"
        }
        return text + "]}\n"
    }
}
