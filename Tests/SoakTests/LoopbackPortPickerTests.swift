import Foundation
import Testing
@testable import SoakRun

/// `{port}` comes from outside the kernel's ephemeral range, where other programs' connections
/// would take it between the harness's check and the target's bind.
@Suite struct LoopbackPortPickerTests {
    @Test func picksComeFromOutsideTheEphemeralRangeAndAreFree() throws {
        let ephemeral = LoopbackPortPicker.ephemeralRange()
        for _ in 0..<20 {
            let port = try LoopbackPortPicker.pick()
            #expect(!ephemeral.contains(port), "\(port) is in the ephemeral range \(ephemeral)")
            #expect(port >= 10_000 && port <= 65_535)
        }
    }

    @Test func theCandidatesSkipTheRangeAndRangesTooSmallToDrawFrom() {
        #expect(LoopbackPortPicker.candidates(outside: 32_768...60_999) == [10_000...32_767, 61_000...65_535])
        // A range reaching the top leaves only the ports below it.
        #expect(LoopbackPortPicker.candidates(outside: 20_000...65_400) == [10_000...19_999])
        #expect(LoopbackPortPicker.candidates(outside: 10_000...65_535).isEmpty)
    }

    @Test func anUnreadableOrOddRangeFileMeansLinuxsDefault() throws {
        let file = NSTemporaryDirectory() + "lazysoak-port-range-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "40000\t50000\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(LoopbackPortPicker.ephemeralRange(fromFile: file) == 40_000...50_000)
        try "50000 40000\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(LoopbackPortPicker.ephemeralRange(fromFile: file) == 32_768...60_999)
        #expect(LoopbackPortPicker.ephemeralRange(fromFile: file + "-missing") == 32_768...60_999)
    }
}
