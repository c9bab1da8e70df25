import FoundationEssentials
import SoakAnalysis
import SoakProfiles
import SoakRun

/// The folder of committed baselines (`reports/baselines/NAME.json`): small summaries of runs that
/// passed, which `soak diff NAME RUN` compares against.
package struct BaselineStore: Sendable, Equatable {
    /// The folder baselines are read from and saved to.
    package var directory: String

    /// A store over a known folder.
    package init(directory: String) {
        self.directory = directory
    }

    /// Finds the baselines folder the way `ProfileCatalog.locate` finds profiles: `explicit`
    /// (`--baselines DIR`) when given; else `$LAZYSOAK_BASELINES`; else `./reports/baselines` when
    /// the current directory has a `reports/` folder (where `soak run` writes by default); else the
    /// `reports/baselines` of the nearest ancestor of the executable's folder holding `Package.swift`;
    /// else `./reports/baselines`.
    package static func locate(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = ProfileCatalog.currentExecutablePath()
    ) -> BaselineStore {
        let local = join(currentDirectory, "reports/baselines")
        if let explicit, !explicit.isEmpty { return BaselineStore(directory: join(currentDirectory, explicit)) }
        if let configured = environment["LAZYSOAK_BASELINES"], !configured.isEmpty {
            return BaselineStore(directory: join(currentDirectory, configured))
        }
        if isDirectory(join(currentDirectory, "reports")) { return BaselineStore(directory: local) }
        if let executablePath {
            var folder = join(currentDirectory, executablePath)
            while let slash = folder.lastIndex(of: "/"), slash != folder.startIndex {
                folder = String(folder[..<slash])
                if FileManager.default.fileExists(atPath: folder + "/Package.swift") {
                    return BaselineStore(directory: folder + "/reports/baselines")
                }
            }
        }
        return BaselineStore(directory: local)
    }

    /// Names as `[A-Za-z0-9._-]{1,64}`, never `.` or `..` (the registry's rule): a name becomes
    /// a file name.
    package static func isValidName(_ name: String) -> Bool {
        RequestPath.isValidName(name[...])
    }

    /// The file of baseline `name`.
    package func path(for name: String) -> String {
        directory + "/" + name + ".json"
    }

    /// The saved baseline names, sorted.
    package func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }
            .filter(Self.isValidName).sorted()
    }

    /// Saves `summary` as baseline `name`, compacted (see `compact`), and returns the file written.
    package func save(_ summary: RunSummary, as name: String) throws(DiffError) -> String {
        guard Self.isValidName(name) else {
            throw DiffError("baseline name \"\(name)\": expected 1 to 64 of A-Z a-z 0-9 . _ -, "
                + "like service-lazy-loading")
        }
        let path = path(for: name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            let problem = WriteProblem.describe(directory, error)
            throw DiffError("cannot create the baselines folder \(directory): \(problem)")
        }
        do {
            try Self.compact(summary).write(to: path)
        } catch {
            throw DiffError("cannot write the baseline \(path): \(WriteProblem.describe(path, error))")
        }
        return path
    }

    /// The summary a baseline keeps: everything `soak diff` reads, with each metric's chart points
    /// reduced by median buckets to at most `maxPoints`, so a committed baseline stays small
    /// whatever the run's length; and the run folder's name only, since its path means nothing
    /// on another machine.
    package static func compact(_ summary: RunSummary, maxPoints: Int = 200) -> RunSummary {
        var compacted = summary
        compacted.runFolder = summary.runFolder.split(separator: "/").last.map(String.init) ?? summary.runFolder
        for index in compacted.analysis.metrics.indices {
            let points = compacted.analysis.metrics[index].points
            compacted.analysis.metrics[index].points = MedianBuckets.reduce(points, to: maxPoints).points
        }
        return compacted
    }

    private static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return (directory.hasSuffix("/") ? directory : directory + "/") + path
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }
}
