import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

// Expected values were read from the fixtures independently with awk when they were captured,
// e.g. `awk '/^VmRSS:/{print $2*1024}' status` and `sed 's/.*)//' stat | awk '{print $12}'`.

@Suite struct ProcStatusTests {
    @Test func parsesNormalProcess() throws {
        let status = try ProcFixtures.bytes("normal", "status").withUnsafeBytes(ProcStatus.init(parsing:))
        #expect(status == ProcStatus(rssBytes: 1_810_432, rssAnonBytes: 110_592, hwmBytes: 1_810_432, threads: 1))
    }

    @Test func parsesBusyThreadedProcess() throws {
        let status = try ProcFixtures.bytes("busy", "status").withUnsafeBytes(ProcStatus.init(parsing:))
        #expect(status == ProcStatus(rssBytes: 1_253_376, rssAnonBytes: 118_784, hwmBytes: 1_253_376, threads: 3))
    }

    @Test func parsesProcessWithOddName() throws {
        let status = try ProcFixtures.bytes("odd-name", "status").withUnsafeBytes(ProcStatus.init(parsing:))
        #expect(status == ProcStatus(rssBytes: 1_794_048, rssAnonBytes: 110_592, hwmBytes: 1_794_048, threads: 1))
    }

    @Test func truncatedLineIsMissingNotPartial() throws {
        // Cut inside "VmRSS:\t    1768" before " kB": the digits read so far must not count.
        let whole = try ProcFixtures.bytes("normal", "status")
        let cut = ProcFixtures.truncated(whole, before: "VmRSS:", keeping: 14)
        let status = cut.withUnsafeBytes(ProcStatus.init(parsing:))
        #expect(status == ProcStatus(rssBytes: nil, rssAnonBytes: nil, hwmBytes: 1_810_432, threads: nil))
    }

    @Test func missingFieldIsNil() throws {
        let whole = try ProcFixtures.bytes("normal", "status")
        let bytes = ProcFixtures.removingLine(startingWith: "RssAnon:", from: whole)
        let status = bytes.withUnsafeBytes(ProcStatus.init(parsing:))
        #expect(status == ProcStatus(rssBytes: 1_810_432, rssAnonBytes: nil, hwmBytes: 1_810_432, threads: 1))
    }

    @Test func emptyAndZombieFilesHaveNoMemoryFields() {
        #expect([UInt8]().withUnsafeBytes(ProcStatus.init(parsing:)) == ProcStatus())
        let zombie = Array("Name:\tx\nState:\tZ (zombie)\nThreads:\t1\n".utf8)
        #expect(zombie.withUnsafeBytes(ProcStatus.init(parsing:)) == ProcStatus(threads: 1))
    }
}

@Suite struct ProcStatTests {
    @Test func parsesNormalProcess() throws {
        let stat = try ProcFixtures.bytes("normal", "stat").withUnsafeBytes(ProcStat.init(parsing:))
        #expect(stat.state == UInt8(ascii: "S"))
        #expect(stat.ppid == 1)
        #expect(stat.minorFaults == 129)
        #expect(stat.majorFaults == 0)
        #expect(stat.userTicks == 0)
        #expect(stat.systemTicks == 0)
        #expect(stat.threads == 1)
        #expect(stat.rssPages == 415)
    }

    @Test func parsesBusyProcessCPU() throws {
        let stat = try ProcFixtures.bytes("busy", "stat").withUnsafeBytes(ProcStat.init(parsing:))
        #expect(stat.minorFaults == 111)
        #expect(stat.userTicks == 106)
        #expect(stat.systemTicks == 93)
        #expect(stat.threads == 3)
        #expect(stat.rssPages == 277)
        #expect(stat.cpuSeconds(clockTicksPerSecond: 100) == 1.99)
    }

    @Test func nameWithSpacesAndParenthesesDoesNotShiftFields() throws {
        // The name is "a (b) c) S 1 (": a parser that splits on spaces or stops at the first
        // ')' reads the name's own "S 1" as state and ppid.
        let bytes = try ProcFixtures.bytes("odd-name", "stat")
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("4979 (a (b) c) S 1 () S 1 4973 "))
        let stat = bytes.withUnsafeBytes(ProcStat.init(parsing:))
        #expect(stat.state == UInt8(ascii: "S"))
        #expect(stat.ppid == 1)
        #expect(stat.minorFaults == 128)
        #expect(stat.threads == 1)
        #expect(stat.rssPages == 411)
    }

    @Test func truncatedFileKeepsOnlyCompleteFields() throws {
        // Cut right after utime's digits: utime has no terminator yet, so it and all later are nil.
        let whole = try ProcFixtures.bytes("busy", "stat")
        let cut = ProcFixtures.truncated(whole, before: " 106 93 ", keeping: 4)
        let stat = cut.withUnsafeBytes(ProcStat.init(parsing:))
        #expect(stat.minorFaults == 111)
        #expect(stat.userTicks == nil)
        #expect(stat.systemTicks == nil)
        #expect(stat.threads == nil)
        #expect(stat.cpuSeconds(clockTicksPerSecond: 100) == nil)
    }

    @Test func garbageYieldsNothing() {
        #expect(Array("no parenthesis here 1 2 3".utf8).withUnsafeBytes(ProcStat.init(parsing:)) == ProcStat())
        #expect(Array("1 (x) S -1 2\n".utf8).withUnsafeBytes(ProcStat.init(parsing:)).ppid == nil)
    }

    @Test func zombieIsRecognised() {
        let stat = Array("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n".utf8)
            .withUnsafeBytes(ProcStat.init(parsing:))
        #expect(stat.isZombieOrDead)
    }
}

@Suite struct ProcSmapsRollupTests {
    @Test func parsesFixtures() throws {
        let normal = try ProcFixtures.bytes("normal", "smaps_rollup").withUnsafeBytes(ProcSmapsRollup.init(parsing:))
        #expect(normal == ProcSmapsRollup(pssBytes: 306_176, privateBytes: 139_264))
        let odd = try ProcFixtures.bytes("odd-name", "smaps_rollup").withUnsafeBytes(ProcSmapsRollup.init(parsing:))
        #expect(odd == ProcSmapsRollup(pssBytes: 295_936, privateBytes: 147_456))
        let busy = try ProcFixtures.bytes("busy", "smaps_rollup").withUnsafeBytes(ProcSmapsRollup.init(parsing:))
        #expect(busy == ProcSmapsRollup(pssBytes: 224_256, privateBytes: 131_072))
    }

    @Test func missingPrivateDirtyMakesPrivateNil() throws {
        let bytes = ProcFixtures.removingLine(
            startingWith: "Private_Dirty:", from: try ProcFixtures.bytes("normal", "smaps_rollup"))
        #expect(bytes.withUnsafeBytes(ProcSmapsRollup.init(parsing:)) == ProcSmapsRollup(pssBytes: 306_176))
    }

    @Test func truncatedBeforePrivateLines() throws {
        let cut = ProcFixtures.truncated(try ProcFixtures.bytes("normal", "smaps_rollup"), before: "Private_Clean:")
        #expect(cut.withUnsafeBytes(ProcSmapsRollup.init(parsing:)) == ProcSmapsRollup(pssBytes: 306_176))
    }
}

@Suite struct ProcBytesTests {
    @Test func childrenListIsSpaceSeparated() {
        var pids: [Int] = []
        Array("4979 5011 \n".utf8).withUnsafeBytes { bytes in
            ProcessTreeDiscovery.forEachNumber(in: bytes) { pids.append($0) }
        }
        #expect(pids == [4979, 5011])
    }

    @Test func overflowIsMissing() {
        let huge = Array("VmRSS:\t99999999999999999999 kB\n".utf8)
        #expect(huge.withUnsafeBytes(ProcStatus.init(parsing:)).rssBytes == nil)
    }
}
