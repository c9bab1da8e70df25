/// `soak profiles`: the shipped profiles, one line each.
import SoakProfiles
import SoakRun

enum ProfilesCommand {
    static let usage = "soak profiles"

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "profiles")
        if arguments.wantsHelp {
            Output.out("usage: \(usage)\nLists the shipped profiles in Profiles/ with what each checks.")
            return .pass
        }
        _ = try arguments.positionals(count: 0...0, usage: usage)
        let catalog = ProfileCatalog.locate()
        guard let directory = catalog.directory else {
            throw CommandError("cannot find the Profiles folder; looked in \(catalog.searched.joined(separator: ", ")). Set LAZYSOAK_PROFILES.")
        }
        let entries = catalog.entries()
        let width = entries.map(\.name.count).max() ?? 0
        Output.out("profiles in \(catalog.displayPath(directory)):")
        for entry in entries {
            let padding = String(repeating: " ", count: width - entry.name.count)
            Output.out("  \(entry.name)\(padding)  \(entry.isValid ? entry.description : "(invalid: run soak run \(entry.name) to see why)")")
        }
        return .pass
    }
}
