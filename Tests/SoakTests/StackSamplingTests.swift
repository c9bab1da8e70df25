import CHeapPage
import Foundation
import Glibc
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun
import Testing

/// Sampled allocation stacks: the profile field, the shared table read in place, the modules of a
/// process, and symbolization at the end (with recorded frames and canned tool output, so no
/// target and no binutils are needed).
@Suite struct StackSamplingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stacks").path

    @Test func heapTakesAnObjectWithStacksAndASamplingMean() throws {
        let profile = try MetricSourceProfileTests.load(MetricSourceProfileTests.command(
            #", "heap": {"kind": "glibc", "stacks": true, "sampleEvery": "4KiB"}"#))
        guard case .command(let command) = profile.target else { return #expect(Bool(false)) }
        #expect(command.heap == .glibc && command.heapStacks == Profile.StackSampling(meanBytes: 4096))
        let plain = try MetricSourceProfileTests.load(MetricSourceProfileTests.command(
            #", "heap": {"kind": "glibc", "stacks": true}"#))
        guard case .command(let defaults) = plain.target else { return #expect(Bool(false)) }
        #expect(defaults.heapStacks?.meanBytes == 512 * 1024)
    }

    @Test func badHeapObjectsAreRefusedWithTheField() {
        func errors(_ heap: String) -> [String] {
            ProfileTesting.errors(MetricSourceProfileTests.command(", \"heap\": \(heap)"))
        }
        #expect(errors(#"{"stacks": true}"#).first?.contains("target.command.heap.kind: missing field") == true)
        #expect(errors(#"{"kind": "glibc", "sampleEvery": "4KiB"}"#).first?.contains("needs \"stacks\": true") == true)
        #expect(errors(#"{"kind": "glibc", "stacks": true, "sampleEvery": "2B"}"#).first?.contains("at least") == true)
        #expect(errors(#"{"kind": "jemalloc"}"#).first?.contains("\"glibc\"") == true)
        #expect(errors(#"{"kind": "glibc", "stack": true}"#).first?.contains("did you mean stacks?") == true,
                "\(errors(#"{"kind": "glibc", "stack": true}"#))")
    }

    @Test func aTableIsReadInPlaceSkippingUnpublishedAndEmptyEntries() throws {
        let directory = NSTemporaryDirectory() + "stacks-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let table = UnsafeMutablePointer<lazysoak_stack_table>.allocate(capacity: 1)
        defer { table.deallocate() }
        memset(table, 0, MemoryLayout<lazysoak_stack_table>.size)
        table.pointee.magic = LAZYSOAK_STACKS_MAGIC
        table.pointee.version = UInt32(LAZYSOAK_STACKS_VERSION)
        withUnsafeMutablePointer(to: &table.pointee.entries) { tuple in
            tuple.withMemoryRebound(to: lazysoak_stack_entry.self, capacity: Int(LAZYSOAK_STACKS_CAPACITY)) { entries in
                entries[7].hash = 0xabc
                entries[7].depth = 2
                entries[7].live_bytes = 8192
                entries[7].live_count_milli = 2500
                entries[7].frames.0 = 0x1000
                entries[7].frames.1 = 0x2000
                entries[9].hash = 0xdef // everything freed: no live bytes, so not a reading
                entries[11].live_bytes = 4096 // no hash yet: being written, skipped
            }
        }
        let data = Data(bytes: table, count: MemoryLayout<lazysoak_stack_table>.size)
        try data.write(to: URL(fileURLWithPath: directory + "/stacks.4242"))
        let stacks = try #require(StackTables(directory: directory).read(pids: [4242]))
        #expect(stacks == [SampledStack(id: "4242-abc", pid: 4242, liveBytes: 8192, liveCount: 2.5, frames: [0x1000, 0x2000])])
        #expect(StackTables(directory: directory).read(pids: [1]) == nil)
    }

    @Test func modulesGiveOffsetsFromTheLoadBaseExceptForFixedAddressExecutables() {
        let maps = """
            55a9407ef000-55a9407f1000 r--p 00000000 fe:00 254163                     /usr/bin/pie
            55a9407f1000-55a9407f7000 r-xp 00002000 fe:00 254163                     /usr/bin/pie
            00400000-00452000 r-xp 00000000 fe:00 1000                               /opt/fixed
            7f0000000000-7f0000001000 rw-p 00000000 00:00 0                          [heap]
            """
        let modules = ProcessModules(maps: maps) { $0 == "/opt/fixed" }
        #expect(modules.locate(0x55a9407f1234)! == ("/usr/bin/pie", 0x2234))
        #expect(modules.locate(0x401000)! == ("/opt/fixed", 0x401000))
        #expect(modules.locate(0x7f0000000010) == nil)
    }

    /// Frames recorded from ci/targets/stack-leak (remember_session, and libc's stdout buffer),
    /// named with canned addr2line output: the allocator's frames are left off the front.
    @Test func recordedStacksAreSymbolizedOnceAndStartAtTheCaller() throws {
        let folder = RunFolder(path: NSTemporaryDirectory() + "symbols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/stack-leak.stacks.jsonl", toPath: folder.stacks)
        let calls = Counter()
        let tools = SymbolTools(run: { executable, arguments in
            calls.add()
            guard executable == "addr2line" else { return nil }
            let names = ["0x13f7": "main", "0x14a8": "main", "0x1511": "_start", "0x16be": "remember_session",
                         "0x758cc": "malloc", "0x2724a": "__libc_start_call_main"]
            return arguments.dropFirst(3).map { "\(names[$0] ?? "??")\n??:0" }.joined(separator: "\n") + "\n"
        }, readable: { _ in true })
        let frames = StackFrames.load(folder, tools: tools)
        #expect(frames["13671-dcdbca5055e3e073"]?.prefix(2) == ["remember_session (stack-leak)", "main (stack-leak)"])
        #expect(frames["13671-7bec913856831c0d"]?.first == "main (stack-leak)", "\(frames)")
        let used = calls.value
        #expect(StackFrames.load(folder, tools: tools) == frames)
        #expect(calls.value == used, "a second judgement reads stack-symbols.json and runs no tool")
    }

    @Test func theStandardLibraryAndRuntimeAreKnownByTheirMangledNames() {
        #expect(StackFrames.isRuntime(mangled: "$ss22_ContiguousArrayBufferV19_uninitializedCount15minimumCapacityAByxGSi_SitcfC"))
        #expect(StackFrames.isRuntime(mangled: "$sSa6appendyyxnF"))
        #expect(StackFrames.isRuntime(mangled: "_ZN5swift14threading_impl9once_slowERNS0_6once_tEPFvPvES3_"))
        #expect(!StackFrames.isRuntime(mangled: "$s13TenantRuntime8ArtifactC6deploy"))
        #expect(!StackFrames.isRuntime(mangled: "remember_session"))
    }

    @Test func swiftAndCxxNamesAreDemangledWhereATooolAnswers() {
        let tools = SymbolTools(run: { executable, arguments in
            switch executable {
            case "swift-demangle": arguments.dropFirst(2).map { _ in "TenantRuntime.GlobalCacheEntry.init()" }
                .joined(separator: "\n")
            case "c++filt": "cache::add()"
            default: nil
            }
        }, readable: { _ in true })
        #expect(tools.demangle(["$s13TenantRuntime16GlobalCacheEntryCACycfc", "_ZN5cache3addEv", "main"]) == [
            "$s13TenantRuntime16GlobalCacheEntryCACycfc": "TenantRuntime.GlobalCacheEntry.init()",
            "_ZN5cache3addEv": "cache::add()",
        ])
    }
}

/// A call counter usable from a `@Sendable` closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
