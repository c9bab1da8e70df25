import Glibc
import PosixSupport
import SoakProfiles

/// Builds the metric sources a profile's target asks for, before the target starts: a bad selector
/// or a missing preload library stops the run there, not after a day of sampling.
package enum MetricSources {
    /// The sources for `target`, in the order of `DeclaredColumns.columns(of:)`. For the glibc
    /// heap it also adds `LD_PRELOAD` and `LAZYSOAK_HEAP_DIR` to the target's environment.
    package static func make(
        for target: Profile.Target, plan: inout TargetLaunchPlan, folder: RunFolder,
        schedule: CulpritSchedule = CulpritSchedule(troughs: true)
    ) throws(SupervisorError) -> [any MetricSource] {
        if let roles = ProcessColumns.roles(of: target) {
            return [ProcessRolesSource(roles: roles, columns: ProcessColumns.columns(of: target))]
        }
        guard case .command(let command) = target else { return [] }
        var sources: [any MetricSource] = []
        if !command.metrics.isEmpty, let url = plan.metricsURL {
            sources.append(try PrometheusSource(url: url, series: command.metrics, timeout: .seconds(2)))
        }
        if let jvm = command.jvm {
            sources.append(JVMSource(settings: jvm, logPath: folder.path + "/jcmd.log", schedule: schedule))
        }
        if command.heap == .glibc {
            let executable = selfExecutable()
            guard let library = GlibcHeapSource.libraryPath(besides: executable) else {
                throw SupervisorError("heap \"glibc\": libSoakHeapPreload.so is not beside \(executable); build it "
                    + "(swift build builds it with soak) or name it with LAZYSOAK_HEAP_PRELOAD")
            }
            let pages = folder.path + "/heap-pages"
            do {
                try SystemCall.retrying("mkdir \(pages)") { mkdir(pages, 0o700) }
            } catch where error.errno == EEXIST {
            } catch {
                throw SupervisorError("heap \"glibc\": \(error)")
            }
            var preload = [library]
            if let stacks = command.heapStacks {
                guard let sampler = GlibcHeapSource.libraryPath(besides: executable, named: "libSoakHeapStacks.so",
                                                                override: "LAZYSOAK_HEAP_STACKS_PRELOAD") else {
                    throw SupervisorError("heap stacks: libSoakHeapStacks.so is not beside \(executable); build it "
                        + "(swift build builds it with soak) or name it with LAZYSOAK_HEAP_STACKS_PRELOAD")
                }
                // Ahead of the page library: the sampler's allocation functions then make the page's
                // check too, so each call passes through one layer of wrappers instead of two.
                preload.insert(sampler, at: 0)
                plan.launch.environment["LAZYSOAK_HEAP_SAMPLE_BYTES"] = String(stacks.meanBytes)
                sources.append(StackSource(directory: pages, stacksLog: folder.stacks, schedule: schedule))
            }
            let existing = plan.launch.environment["LD_PRELOAD"] ?? ProcessEnvironment.current["LD_PRELOAD"]
            plan.launch.environment["LD_PRELOAD"] = (preload + [existing].compactMap { $0 }).joined(separator: ":")
            plan.launch.environment["LAZYSOAK_HEAP_DIR"] = pages
            sources.append(GlibcHeapSource(directory: pages))
        }
        sources.append(CgroupSource())
        return sources
    }

    /// This program's path, from /proc/self/exe.
    package static func selfExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard let count = try? SystemCall.retrying("readlink", { readlink("/proc/self/exe", &buffer, buffer.count - 1) })
        else { return CommandLine.arguments.first ?? "soak" }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
