import FoundationEssentials
import SoakProfiles
import SoakRun

/// One side of a diff, read from whatever the command line named: a run folder (its `summary.json`,
/// or a fresh judgement when it has none), a summary or baseline file, or a baseline name.
package struct DiffInput: Sendable {
    /// The argument as given.
    package var argument: String
    /// The file or folder it resolved to.
    package var path: String
    /// The judged run.
    package var summary: RunSummary
    /// The run's copy of its profile (`profile.json` in a run folder), for its tolerances.
    package var profile: Profile?
    /// What `--force` let through, one sentence each, to print as warnings.
    package var warnings: [String]

    /// Reads `argument`. A path that exists wins; otherwise a name is looked up in `baselines`.
    /// `force` lets a summary of another schema through (a run folder is judged afresh instead)
    /// and re-judges a run folder whose `summary.json` is corrupt; nothing lets an unreadable
    /// summary file through, since there is nothing to compare.
    package static func load(
        _ argument: String, baselines: BaselineStore?, force: Bool,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(DiffError) -> DiffInput {
        let path = argument.hasPrefix("/") ? argument : currentDirectory + "/" + argument
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory
                ? try folder(argument, path: path, force: force)
                : try file(argument, path: path, force: force)
        }
        guard let baselines, BaselineStore.isValidName(argument), !argument.hasSuffix(".json") else {
            throw DiffError("\(argument): no such file or folder; expected a run folder, a summary.json or a "
                + "baseline name")
        }
        let file = baselines.path(for: argument)
        guard FileManager.default.fileExists(atPath: file) else {
            let names = baselines.names()
            throw DiffError("\(argument): no such file, folder or baseline (looked in \(baselines.directory); "
                + "saved baselines: \(names.isEmpty ? "none" : names.joined(separator: ", "))); "
                + "save one with soak baseline save DIR \(argument)")
        }
        return try self.file(argument, path: file, force: force)
    }

    private static func file(_ argument: String, path: String, force: Bool) throws(DiffError) -> DiffInput {
        do {
            let summary = try RunSummary.read(from: path)
            return DiffInput(argument: argument, path: path, summary: summary, profile: nil, warnings: [])
        } catch {
            // Only the schema check failed when the fields still decode: --force may go on.
            let lenient = readIgnoringSchema(path)
            guard force, let summary = lenient else {
                throw DiffError(error.description + (lenient != nil ? "; pass --force to read it anyway" : ""))
            }
            return DiffInput(
                argument: argument, path: path, summary: summary, profile: nil,
                warnings: ["\(error.description); read anyway (--force)"])
        }
    }

    private static func folder(_ argument: String, path: String, force: Bool) throws(DiffError) -> DiffInput {
        let folder = RunFolder(path: path)
        let profile = try? ProfileLoader.load(file: folder.profileCopy)
        var warnings: [String] = []
        if FileManager.default.fileExists(atPath: folder.summaryJSON) {
            do {
                let summary = try RunSummary.read(from: folder.summaryJSON)
                return DiffInput(argument: argument, path: path, summary: summary, profile: profile, warnings: [])
            } catch {
                // The samples are the record; summary.json is derived from them and can be made again.
                guard force else {
                    throw DiffError("\(error.description); run soak report \(argument) to rewrite it, "
                        + "or pass --force to judge the folder afresh")
                }
                warnings.append("\(error.description); judging the folder afresh (--force)")
            }
        }
        do {
            let summary = try RunJudge.judge(folder).summary
            return DiffInput(argument: argument, path: path, summary: summary, profile: profile, warnings: warnings)
        } catch {
            throw DiffError(error.description)
        }
    }

    /// A summary decoded whatever its `schema`: only under `--force`, and only when its fields
    /// still read as this version's.
    private static func readIgnoringSchema(_ path: String) -> RunSummary? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? RunFileJSON.decoder.decode(RunSummary.self, from: data)
    }
}
