import Foundation
import Glibc
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct ProcessTreeSamplerTests {
    @Test func samplesThisTestProcess() {
        let sample = ProcessTreeSampler(rootPID: getpid()).sample()
        #expect(sample.processes >= 1)
        #expect((sample.rssBytes ?? 0) > 1 << 20)
        #expect((sample.rssAnonBytes ?? 0) > 0)
        #expect((sample.hwmBytes ?? 0) >= (sample.rssBytes ?? .max) / 2)
        #expect((sample.pssBytes ?? 0) > 0)
        #expect((sample.privateBytes ?? 0) > 0)
        #expect((sample.threads ?? 0) >= 1)
        #expect((sample.fds ?? 0) >= 3)
        #expect((sample.cpuSeconds ?? -1) > 0)
        #expect((sample.minorFaults ?? 0) > 0)
        #expect(sample.majorFaults != nil)
    }

    @Test func rssAndCPUModeLeavesSkippedFieldsMissing() {
        let sample = ProcessTreeSampler(rootPID: getpid(), mode: .rssAndCPU).sample()
        #expect((sample.rssBytes ?? 0) > 1 << 20)
        #expect(sample.cpuSeconds != nil)
        #expect(sample.pssBytes == nil)
        #expect(sample.privateBytes == nil)
        #expect(sample.fds == nil)
    }

    @Test func repeatedSamplesSeeFreshValues() {
        // The files stay open between samples; pread at 0 must regenerate them.
        // Other tests open and close files in this process meanwhile, so the sample is held
        // against direct counts taken just before and after it, not against the first sample;
        // the tree also holds the children other tests spawn, so only the lower bound is ours.
        func directCount() -> Int {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -100
        }
        let sampler = ProcessTreeSampler(rootPID: getpid())
        _ = sampler.sample()
        let descriptors = (0..<20).map { _ in open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { descriptors.forEach { close($0) } }
        let low = directCount()
        let after = sampler.sample().fds ?? -1
        let high = directCount()
        #expect(after >= min(low, high) - 3, "this process holds \(low)...\(high), the sample says \(after)")
    }

    @Test func countsChildrenAndGoesMissingWhenRootIsKilled() throws {
        let root = try SpawnedShell(script: "sleep 30 & sleep 30")
        defer { root.killGroup() }
        let sampler = ProcessTreeSampler(rootPID: root.pid, treeRefreshInterval: 1)
        var sample = sampler.sample()
        for _ in 0..<200 where sample.processes < 2 {
            usleep(10_000)
            sample = sampler.sample()
        }
        #expect(sample.processes >= 2)
        #expect((sample.rssBytes ?? 0) > 0)
        #expect((sample.threads ?? 0) >= 2)

        kill(root.pid, SIGKILL)
        // A killed root stays a zombie until reaped; the sampler must already treat it as gone.
        var gone = sampler.sample()
        for _ in 0..<200 where gone.processes > 0 {
            usleep(10_000)
            gone = sampler.sample()
        }
        #expect(gone == .vanished)
        #expect(gone.rssBytes == nil && gone.cpuSeconds == nil && gone.fds == nil)
        root.reap()
        #expect(sampler.sample() == .vanished)
    }

    @Test func nonexistentRootIsVanished() {
        #expect(ProcessTreeSampler(rootPID: pid_t.max).sample() == .vanished)
    }

    @Test func harnessMemoryReadsOwnRSS() {
        #expect((HarnessMemory.rssBytes() ?? 0) > 1 << 20)
    }

    @Test func benchmarkReportsPositiveCost() {
        let result = SamplerBenchmark.measure(pid: getpid(), samples: 50, mode: .rssAndCPU)
        #expect(result.samples == 50)
        #expect(result.processes >= 1)
        #expect(result.cpuMicrosPerSample > 0)
    }
}

/// A `/bin/sh -c` child in its own process group, so a test can kill the whole tree.
private struct SpawnedShell {
    let pid: pid_t

    init(script: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { (text: String) in strdup(text) }
        defer { arguments.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, "/bin/sh", nil, &attributes, arguments + [nil], environ)
        guard result == 0 else { throw SpawnFailed(errno: result) }
        self.pid = pid
    }

    /// Kills the shell and anything it started.
    func killGroup() {
        kill(-pid, SIGKILL)
        reap()
    }

    func reap() {
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    struct SpawnFailed: Error {
        let errno: Int32
    }
}
