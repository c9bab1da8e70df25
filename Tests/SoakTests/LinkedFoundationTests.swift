import FoundationEssentials
import Testing

/// The harness stays on FoundationEssentials. Importing `Foundation` in any module `soak` links
/// pulls its ICU-backed layer into `soak` (a static binary grows from about 27 MB to 78 MB) and the
/// harness's own RSS from about 13 MiB to 19 MiB, over the 16 MiB the design allows.
@Suite struct LinkedFoundationTests {
    static let harnessModules = [
        "PosixSupport", "SoakUnits", "MiniHTTP", "SoakAnalysis", "SoakProfiles", "SoakRun", "SoakReports",
        "SoakBench", "SoakCLI", "soak",
    ]

    @Test(arguments: harnessModules)
    func harnessModuleImportsOnlyFoundationEssentials(module: String) throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/\(module)").path
        let files = try FileManager.default.subpathsOfDirectory(atPath: sources)
            .filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty, "found the sources at \(sources)")
        let offenders = try files.filter { file in
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            return text.split(separator: "\n").contains { $0 == "import Foundation" || $0.hasPrefix("import Foundation ") }
        }
        #expect(offenders.isEmpty, "import FoundationEssentials instead in \(module): \(offenders)")
    }
}
