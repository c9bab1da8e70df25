import Foundation
import Glibc

/// The package's built executables, found beside the test runner in the build folder, and
/// helpers to run them.
enum BuiltBinaries {
    static var folder: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var parts = runner.split(separator: "/", omittingEmptySubsequences: false)
        // …/debug/LazySoakPackageTests.xctest (a file or a bundle folder with the runner inside).
        while let last = parts.last, !last.hasSuffix(".xctest") { parts.removeLast() }
        parts.removeLast()
        return parts.joined(separator: "/")
    }

    static var soak: String { folder + "/soak" }
    static var tenantd: String { folder + "/tenantd" }

    /// The package root (for Profiles/).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    static func temporaryFolder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "lazysoak-e2e-\(name)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` to completion with `arguments`, bounded by `timeout`.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120,
                    environment: [String: String] = [:], onStart: ((Process) -> Void)? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Output goes to files rather than pipes: nothing can block on a full pipe, and the
        // files are there to read once the process has ended.
        let scratch = temporaryFolder("output")
        _ = FileManager.default.createFile(atPath: scratch + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch + "/err", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: scratch + "/out")
        process.standardError = FileHandle(forWritingAtPath: scratch + "/err")
        try process.run()
        onStart?(process)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let stdout = (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
