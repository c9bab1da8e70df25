import Foundation
import Testing
@testable import SoakRun

/// The memory cgroup of a process, located and read in fixture trees of both versions.
@Suite struct CgroupTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cgroup").path

    @Test func locatesAndReadsVersion1() throws {
        let tree = Self.root + "/v1"
        let location = try CgroupLocation.locate(pid: "4242", fileSystemRoot: tree).get()
        #expect(location == CgroupLocation(
            version: .v1, directory: tree + "/sys/fs/cgroup/memory/process_api/8ae251f7983bdae524d2183622d6ee06",
            path: "/process_api/8ae251f7983bdae524d2183622d6ee06"))
        let reading = try CgroupMemoryReader(location: location).read()
        // From the files: memory.usage_in_bytes, and memory.stat's total_rss and total_cache.
        #expect(reading == CgroupMemoryReading(usageBytes: 294_633_472, anonBytes: 2_330_624, fileBytes: 278_519_808))
    }

    @Test func locatesAndReadsVersion2() throws {
        let tree = Self.root + "/v2"
        let location = try CgroupLocation.locate(pid: "4343", fileSystemRoot: tree).get()
        #expect(location == CgroupLocation(
            version: .v2, directory: tree + "/sys/fs/cgroup/system.slice/my app.service",
            path: "/system.slice/my app.service"))
        let reading = try CgroupMemoryReader(location: location).read()
        #expect(reading == CgroupMemoryReading(usageBytes: 187_392_000, anonBytes: 150_994_944, fileBytes: 31_457_280))
    }

    @Test func aMissingProcessOrControllerIsAReason() {
        guard case .failure(let gone) = CgroupLocation.locate(pid: "9", fileSystemRoot: Self.root + "/v2") else {
            return #expect(Bool(false))
        }
        #expect(gone.description.contains("/proc/9/cgroup"))
    }

    @Test func membershipAndMountsOfEveryShape() {
        let hybrid = CgroupMembership(parsing: "12:cpu,cpuacct:/a\n4:memory:/docker/abc\n0::/init.scope\n")
        #expect(hybrid.v1Memory == "/docker/abc" && hybrid.unified == "/init.scope")
        let mounts = CgroupMounts(parsing: """
            35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/uni\\040fied rw,relatime - cgroup2 cgroup2 rw
            garbage line
            """)
        #expect(mounts.v1Memory == CgroupMounts.Mount(root: "/docker/abc", mountPoint: "/sys/fs/cgroup/memory"))
        #expect(mounts.unified?.mountPoint == "/sys/fs/cgroup/uni fied")
        // A container's namespace root is the mount's root: its own group is the mount point.
        #expect(mounts.v1Memory?.directory(for: "/docker/abc") == "/sys/fs/cgroup/memory")
        #expect(mounts.v1Memory?.directory(for: "/docker/abc/worker") == "/sys/fs/cgroup/memory/worker")
        #expect(mounts.unified?.directory(for: "/") == "/sys/fs/cgroup/uni fied")
        #expect(CgroupMounts.unescape("a\\134b\\04") == "a\\b\\04")
    }

    @Test func readsThisMachinesOwnGroup() throws {
        guard case .success(let location) = CgroupLocation.locate(pid: "self") else { return }
        let reading = try CgroupMemoryReader(location: location).read()
        #expect((reading.usageBytes ?? 0) > 0)
        #expect(reading.anonBytes != nil)
    }
}
